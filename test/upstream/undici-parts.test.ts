import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as undici from 'undici';
import { errors, Pool, poolRequest } from '../../src/upstream/undici-parts.ts';

const PARTS = fileURLToPath(new URL('../../src/upstream/undici-parts.ts', import.meta.url));

test('the undici parts are the classes and the request function undici itself exports', () => {
  assert.equal(Pool, undici.Pool);
  assert.equal(errors, undici.errors);
  assert.equal(typeof poolRequest, 'function');
});

test('a process that loads only the parts sends a request and maps a connection failure (nothing of undici\'s index needed)', async () => {
  const script = `
    const { createServer } = await import('node:http');
    const { createRequire } = await import('node:module');
    const { Pool, poolRequest, errors } = await import(${JSON.stringify(PARTS)});
    const server = createServer((req, res) => res.end('{"ok":' + JSON.stringify(req.url) + '}'));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const pool = new Pool('http://127.0.0.1:' + server.address().port, { connections: 2 });
    const res = await poolRequest(pool, { method: 'GET', path: '/x?y=1' });
    const text = await res.body.text();
    let refused = 'none';
    const closed = new Pool('http://127.0.0.1:1', { connect: { timeout: 1000 } });
    try { await poolRequest(closed, { method: 'GET', path: '/' }); } catch (e) { refused = e.code + ':' + (e instanceof Error); }
    await pool.close(); await closed.close(); server.close();
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/undici/'));
    console.log(JSON.stringify({ status: res.statusCode, text, refused, index: loaded.some((k) => k.endsWith('/undici/index.js')), modules: loaded.length, timeout: typeof errors.HeadersTimeoutError }));
  `;
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
  );
  const r = JSON.parse(out.trim().split('\n').pop() as string) as { status: number; text: string; refused: string; index: boolean; modules: number; timeout: string };
  assert.equal(r.status, 200);
  assert.equal(r.text, '{"ok":"/x?y=1"}');
  assert.equal(r.refused, 'ECONNREFUSED:true');
  assert.equal(r.timeout, 'function');
  assert.equal(r.index, false, 'undici/index.js was not loaded');
  assert.ok(r.modules < 40, `${r.modules} undici modules loaded`);
});
