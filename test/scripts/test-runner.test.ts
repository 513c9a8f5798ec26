import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/* scripts/test.mjs (npm test) ends with a compact list of the tests that failed, file and name. */

const RUNNER = fileURLToPath(new URL('../../scripts/test.mjs', import.meta.url));

function runIn(dir: string): Promise<{ code: number | null; out: string }> {
  // Without NODE_TEST_CONTEXT: node:test would otherwise make the nested run report to this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
  const child = spawn(process.execPath, [RUNNER], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out })));
}

describe('the test runner’s summary', () => {
  it('lists each failed test with its file and suites at the very end, and exits non-zero', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osproxy-runner-'));
    mkdirSync(join(dir, 'test', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'test', 'a.test.ts'), [
      "import { describe, it } from 'node:test';",
      "import assert from 'node:assert/strict';",
      "describe('outer', () => { it('fine', () => {}); describe('inner', () => { it('breaks', () => assert.equal(1, 2)); }); });",
    ].join('\n'));
    writeFileSync(join(dir, 'test', 'sub', 'memory-b.test.ts'), "import { it } from 'node:test';\nit('throws', () => { throw new Error('boom'); });\nit('ok', () => {});\n");
    writeFileSync(join(dir, 'test', 'c.test.ts'), "import { it } from 'node:test';\nit('passes', () => {});\n");
    const { code, out } = await runIn(dir);
    assert.equal(code, 1, out);
    const summary = out.slice(out.lastIndexOf('✖ 2 failed tests:'));
    assert.equal(summary.trimEnd(), [
      '✖ 2 failed tests:',
      '  test/a.test.ts: outer › inner › breaks',
      '      Expected values to be strictly equal: 1 !== 2',
      '  test/sub/memory-b.test.ts: throws',
      '      boom',
    ].join('\n'));
  });

  it('says so when everything passed', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osproxy-runner-'));
    mkdirSync(join(dir, 'test'));
    writeFileSync(join(dir, 'test', 'ok.test.ts'), "import { it } from 'node:test';\nit('passes', () => {});\n");
    const { code, out } = await runIn(dir);
    assert.equal(code, 0, out);
    assert.match(out, /✔ all tests passed\n$/);
  });
});
