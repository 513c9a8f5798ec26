import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { makeTestCerts, type TestCerts } from '../helpers/certs.ts';
import { runCli, spawnCli } from '../helpers/spawn-cli.ts';

/*
 * `osproxy serve` that cannot start says why in one line and exits 2 — never a stack trace
 * (the real CLI, as an operator runs it).
 */

const CLUSTERS = 'clusters:\n  default: { url: "http://127.0.0.1:9" }\ncontrol: { store: memory }\n';

function configDir(yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-startup-'));
  const file = join(dir, 'osproxy.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

/** The run failed with exit 2 and exactly one stderr line (no stack frames), which is returned. */
function oneLine(run: { code: number | null; stdout: string; stderr: string }): string {
  assert.equal(run.code, 2, run.stderr);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /^\s+at /m);
  return lines[0];
}

describe('osproxy serve that cannot start: one clear line, exit status 2', () => {
  let busy: Server;
  let busyPort: number;
  let certs: TestCerts;

  before(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
    certs = makeTestCerts('client');
  });
  after(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('a port in use names the address and what to change', { timeout: 60_000 }, async () => {
    const { file } = configDir(CLUSTERS);
    const line = oneLine(await runCli(['serve', '--config', file, '--listen', `127.0.0.1:${busyPort}`]));
    assert.equal(
      line,
      `config: listeners.0: cannot listen on 127.0.0.1:${busyPort}: the address is already in use (another osproxy, or OpenSearch itself?); `
        + 'choose another port (listeners[].port, --listen host:port, or npm start -- --port N)',
    );
  });

  it('a YAML syntax error (a tab) names the file, the line and the column', { timeout: 60_000 }, async () => {
    const { file } = configDir('clusters:\n  default:\n\turl: "http://127.0.0.1:9"\n');
    const line = oneLine(await runCli(['serve', '--config', file]));
    assert.match(line, new RegExp(`^config: ${file.replace(/[.]/g, '\\.')}: invalid YAML: .*[Tt]ab.* at line 3, column 1$`));
  });

  it('relative TLS paths are relative to the config file’s folder, wherever serve is started', { timeout: 60_000 }, async () => {
    const { dir, file } = configDir(`${CLUSTERS}listeners:\n  - { host: 127.0.0.1, port: 0, tls: { cert_file: tls/proxy.crt, key_file: tls/proxy.key } }\n`);
    mkdirSync(join(dir, 'tls'));
    copyFileSync(certs.serverCert, join(dir, 'tls', 'proxy.crt'));
    copyFileSync(certs.serverKey, join(dir, 'tls', 'proxy.key'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'osproxy-cwd-'));
    const { child, address, exited } = await spawnCli(['serve', '--config', file], [], {}, { cwd: elsewhere });
    try {
      const url = (address.osproxy as string[])[0];
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await request(`${url}/_osproxy/health`, { dispatcher: new Agent({ connect: { ca: certs.read(certs.caFile) } }) });
      assert.equal(res.statusCode, 200);
      await res.body.dump();
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('a missing TLS file names the key and the resolved path', { timeout: 60_000 }, async () => {
    const { dir, file } = configDir(`${CLUSTERS}listeners:\n  - { host: 127.0.0.1, port: 0, tls: { cert_file: proxy.crt, key_file: proxy.key } }\n`);
    const line = oneLine(await runCli(['serve', '--config', file], { cwd: tmpdir() }));
    assert.equal(line, `config: listeners.0.tls.cert_file: cannot read ${join(dir, 'proxy.crt')} (no such file)`);
  });

  it('a TLS file that is not a certificate names the listener', { timeout: 60_000 }, async () => {
    const { dir, file } = configDir(`${CLUSTERS}listeners:\n  - { host: 127.0.0.1, port: 0, tls: { cert_file: proxy.crt, key_file: proxy.key } }\n`);
    writeFileSync(join(dir, 'proxy.crt'), 'not a certificate\n');
    copyFileSync(certs.serverKey, join(dir, 'proxy.key'));
    const line = oneLine(await runCli(['serve', '--config', file]));
    assert.match(line, /^config: listeners\.0\.tls: the certificate, key or CA cannot be used: /);
  });
});

describe('osproxy engine and osproxy dev that cannot start their engine: one clear line, exit status 2', () => {
  /** A data directory that cannot be created: a path under a regular file. */
  function unusableDataDir(): string {
    const file = join(mkdtempSync(join(tmpdir(), 'osproxy-startup-')), 'not-a-dir');
    writeFileSync(file, '');
    return join(file, 'data');
  }

  it('osproxy engine --data under a file names the directory', { timeout: 60_000 }, async () => {
    const data = unusableDataDir();
    const line = oneLine(await runCli(['engine', '--port', '0', '--data', data]));
    assert.equal(line, `osproxy engine: cannot start: ENOTDIR: not a directory, mkdir '${data}'`);
  });

  it('osproxy dev --data under a file says that its engine could not start, and why', { timeout: 60_000 }, async () => {
    const data = unusableDataDir();
    const line = oneLine(await runCli(['dev', '--port', '0', '--data', data]));
    assert.equal(line, `osproxy: cannot start: the embedded engine exited with code 2 before listening: ENOTDIR: not a directory, mkdir '${data}'`);
  });
});
