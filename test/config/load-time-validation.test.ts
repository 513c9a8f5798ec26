import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../src/config/load.ts';
import { runCli } from '../helpers/spawn-cli.ts';

const base = { clusters: { default: { url: 'http://127.0.0.1:9' } } };

function refused(raw: Record<string, unknown>, key: RegExp): void {
  assert.throws(() => parseConfig({ ...base, ...raw }), (e: unknown) => e instanceof ConfigError && key.test(e.message), JSON.stringify(raw));
}

describe('every configuration value is validated when the configuration is loaded', () => {
  it('refuses a cursor key shorter than 32 bytes, or not base64, naming the key', () => {
    refused({ tenancy: { cursor_key_b64: 'short' } }, /tenancy\.cursor_key_b64: must be base64 of at least 32/);
    refused({ tenancy: { cursor_key_b64: Buffer.alloc(31).toString('base64') } }, /tenancy\.cursor_key_b64/);
    refused({ tenancy: { cursor_key_b64: '%%%' + Buffer.alloc(40).toString('base64') } }, /tenancy\.cursor_key_b64/);
    assert.doesNotThrow(() => parseConfig({ ...base, tenancy: { cursor_key_b64: Buffer.alloc(32, 7).toString('base64') } }));
  });

  it('refuses index templates that cannot produce safe, valid names, naming the placement', () => {
    refused({ tenants: { acme: { placement: { kind: 'index', index_template: 'only-{lindex}' } } } }, /tenants\.acme\.placement\.index_template: .*must contain \{tenant\}/);
    refused({ tenants: { acme: { indices: { logs: { kind: 'shared', index_template: 'x-{tenantid}' } } } } }, /tenants\.acme\.indices\.logs\.index_template: .*unknown placeholder/);
    refused({ tenants: { acme: { placement: { kind: 'index', index_template: 'Upper-{tenant}-{lindex}' } } } }, /index_template: .*must be lowercase/);
    refused({ tenants: { acme: { placement: { kind: 'cluster' } } } }, /tenants\.acme\.placement\.cluster: a cluster placement must name its cluster/);
  });
});

describe('osproxy serve with an invalid configuration', () => {
  const write = (text: string): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'osproxy-bad-config-')), 'osproxy.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('exits 2 with one line naming the key, before opening any socket', { timeout: 60_000 }, async () => {
    const file = write('clusters:\n  default: { url: "http://127.0.0.1:9" }\ntenancy:\n  cursor_key_b64: short\n');
    const run = await runCli(['serve', '--config', file]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /tenancy\.cursor_key_b64/);
  });

  it('exits 2 for a credential mistake found while building the lookup tables', { timeout: 60_000 }, async () => {
    const file = write('clusters:\n  default: { url: "http://127.0.0.1:9" }\ntenants:\n  acme: { principals: [ { name: nothing } ] }\n');
    const run = await runCli(['serve', '--config', file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr.trim(), /^config: tenants\.acme\.principals\[0\]: needs token_sha256, username or cert_subject_cn$/);
  });
});
