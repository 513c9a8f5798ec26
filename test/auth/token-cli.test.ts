import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { hashToken, verifyPassword } from '../../src/auth/index.ts';
import { tokenCommand } from '../../src/cli/token.ts';

interface Run {
  out: string;
  err: string;
}

/** Runs `osproxy token …` in-process with the given stdin; errors throw instead of exiting. */
async function run(args: string[], stdin: string[] = [], res: Run = { out: '', err: '' }): Promise<Run> {
  const cmd = tokenCommand({ stdin: Readable.from(stdin), out: (t) => (res.out += t), err: (t) => (res.err += t) });
  const quiet = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: (t) => (res.out += t), writeErr: (t) => (res.err += t) });
    c.commands.forEach(quiet);
  };
  quiet(cmd);
  await cmd.parseAsync(args, { from: 'user' });
  return res;
}

test('token hash TOKEN prints the SHA-256 hex of the token', async () => {
  const { out } = await run(['hash', 'abc']);
  assert.equal(out, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n');
});

test('token hash reads the token from stdin when omitted, minus the trailing newline', async () => {
  const { out } = await run(['hash'], ['ab', 'c\n']);
  assert.equal(out, `${hashToken('abc')}\n`);
});

test('token hash --password PASSWORD prints an scrypt hash that verifies', async () => {
  const { out } = await run(['hash', '--password', 's3cret pass']);
  const encoded = out.trim();
  assert.match(encoded, /^scrypt\$16384\$8\$1\$/);
  assert.equal(await verifyPassword('s3cret pass', encoded), true);
});

test('token hash --password reads the password from stdin too', async () => {
  const { out } = await run(['hash', '--password'], ['from-stdin\r\n']);
  assert.equal(await verifyPassword('from-stdin', out.trim()), true);
});

test('token hash with an empty stdin fails with exit code 2 and prints nothing on stdout', async () => {
  const res: Run = { out: '', err: '' };
  await assert.rejects(run(['hash'], [''], res), (e: { exitCode?: number }) => e.exitCode === 2);
  assert.equal(res.out, '');
  assert.match(res.err, /empty token/);
});

test('token new prints a fresh 32-byte base64url token and its hash, ready for the config', async () => {
  const a = await run(['new']);
  const m = /^token: ([A-Za-z0-9_-]{43})\ntoken_sha256: ([0-9a-f]{64})\n$/.exec(a.out);
  assert.ok(m, a.out);
  assert.equal(Buffer.from(m[1], 'base64url').length, 32);
  assert.equal(m[2], hashToken(m[1]));
  const b = await run(['new']);
  assert.notEqual(a.out, b.out);
});

test('token key prints a fresh cursor sealing key that the configuration accepts', async () => {
  const { parseConfig } = await import('../../src/config/load.ts');
  const first = (await run(['key'])).out;
  const second = (await run(['key'])).out;
  const key = /^cursor_key_b64: (\S+)\n$/.exec(first)?.[1];
  assert.ok(key !== undefined, first);
  assert.equal(Buffer.from(key, 'base64').length, 32);
  assert.notEqual(first, second);
  assert.doesNotThrow(() => parseConfig({ clusters: { default: { url: 'http://127.0.0.1:9' } }, tenancy: { cursor_key_b64: key } }));
});
