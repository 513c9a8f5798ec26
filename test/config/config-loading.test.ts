import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load.ts';

function yamlFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'osproxy-config-')), 'osproxy.yaml');
  writeFileSync(file, text);
  return file;
}

describe('configuration: YAML file < OSPROXY_* env < flags, validated up front', () => {
  const base = 'clusters:\n  default: { url: "http://127.0.0.1:9201" }\n';

  it('applies defaults to a minimal file', () => {
    const cfg = loadConfig({ file: yamlFile(base) });
    assert.deepEqual(cfg.listeners, [{ host: '127.0.0.1', port: 9200 }]);
    assert.equal(cfg.limits.max_body_bytes, 8 * 1024 * 1024);
    assert.deepEqual(cfg.tenancy.reserved_fields, { tenant: '_tenant', lindex: '_lindex', id: '_lid', epoch: '_epoch' });
  });

  it('names an unknown key and where it is', () => {
    const file = yamlFile(base + 'limits:\n  max_body_bytez: 5\n');
    assert.throws(() => loadConfig({ file }), (e: unknown) => e instanceof ConfigError && /limits: unknown key\(s\) "max_body_bytez"/.test(e.message));
  });

  it('refuses bad tenant ids, unknown clusters and malformed token hashes', () => {
    const bad = [
      base + 'tenants:\n  Bad_Tenant: {}\n',
      base + 'tenants:\n  acme: { placement: { kind: cluster, cluster: nowhere } }\n',
      base + 'tenants:\n  acme: { principals: [ { token_sha256: "abc" } ] }\n',
      'clusters: {}\n',
    ];
    for (const text of bad) assert.throws(() => loadConfig({ file: yamlFile(text) }), ConfigError, text);
  });

  it('lets the environment override the file and flags override both', () => {
    const file = yamlFile(base + 'log_level: info\n');
    const env = { OSPROXY_LISTEN: '127.0.0.1:9300', OSPROXY_LOG_LEVEL: 'warn', OSPROXY_UPSTREAM: 'http://127.0.0.1:9301' };
    const fromEnv = loadConfig({ file, env });
    assert.equal(fromEnv.listeners[0].port, 9300);
    assert.equal(fromEnv.log_level, 'warn');
    assert.equal(fromEnv.clusters.default.url, 'http://127.0.0.1:9301');
    const fromFlags = loadConfig({ file, env, flags: { listen: '127.0.0.1:9400', logLevel: 'error' } });
    assert.equal(fromFlags.listeners[0].port, 9400);
    assert.equal(fromFlags.log_level, 'error');
  });

  it('takes the debug header key from OSPROXY_DEBUG_HEADER_KEY, keeping the rest of observe from the file', () => {
    const file = yamlFile(base + 'observe:\n  level: timing\n');
    const cfg = loadConfig({ file, env: { OSPROXY_DEBUG_HEADER_KEY: 'k'.repeat(32) } });
    assert.equal(cfg.observe.debug_header_key, 'k'.repeat(32));
    assert.equal(cfg.observe.level, 'timing');
    assert.throws(() => loadConfig({ file, env: { OSPROXY_DEBUG_HEADER_KEY: 'short' } }), (e: unknown) => e instanceof ConfigError && /observe.debug_header_key/.test(e.message));
  });

  it('reports an unreadable file and non-mapping YAML clearly', () => {
    assert.throws(() => loadConfig({ file: '/nonexistent/osproxy.yaml' }), /cannot read/);
    assert.throws(() => loadConfig({ file: yamlFile('- a\n- b\n') }), /must hold a YAML mapping/);
  });
});
