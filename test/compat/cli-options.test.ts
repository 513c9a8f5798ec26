import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { compatCommand, parseHeaderOption, readSkipList } from '../../src/compat/cli.ts';

describe('compat command options', () => {
  it('accumulates repeated --header options into a map', () => {
    const first = parseHeaderOption('Authorization: Bearer a:b');
    assert.deepEqual(parseHeaderOption('X-Tenant:  t1 ', first), { authorization: 'Bearer a:b', 'x-tenant': 't1' });
  });

  it('rejects a header without a name', () => {
    assert.throws(() => parseHeaderOption('no colon'), InvalidArgumentError);
    assert.throws(() => parseHeaderOption(': v'), InvalidArgumentError);
  });

  it('reads a skip list file mapping chapter keys to reasons', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compat-skip-'));
    try {
      const file = join(dir, 'skip.yaml');
      await writeFile(file, '"indices/update.yaml#Update a document in the index using a script.": inline scripts are off\n');
      assert.deepEqual(await readSkipList(file), {
        'indices/update.yaml#Update a document in the index using a script.': 'inline scripts are off',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is named compat and requires --url', () => {
    const cmd = compatCommand();
    assert.equal(cmd.name(), 'compat');
    assert.ok(cmd.options.some((o) => o.long === '--url' && o.required));
  });
});
