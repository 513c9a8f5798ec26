import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { exampleOf, referenceRows, renderConfigReference } from '../../src/config/reference.ts';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');

describe('the configuration reference (docs/configuration.md)', () => {
  it('is exactly what the schema generates (run `npm run docs:config` after changing src/config)', () => {
    assert.equal(read('docs/configuration.md'), renderConfigReference(), 'docs/configuration.md is stale: run npm run docs:config');
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts['docs:config'], 'tsx scripts/docs-config.ts');
    assert.ok(read('scripts/docs-config.ts').includes('renderConfigReference'));
  });

  it('describes every key, and gives every value an example or a default', () => {
    const rows = referenceRows();
    assert.ok(rows.length > 90, `${rows.length} keys`);
    assert.deepEqual(rows.filter((r) => (r.description ?? '').trim() === '').map((r) => r.key), [], 'keys without a description');
    assert.deepEqual(rows.filter((r) => !r.section && exampleOf(r) === undefined).map((r) => r.key), [], 'values without an example or default');
    for (const key of ['listeners[].tls.cert_file', 'clusters.<cluster>.breaker.reset_ms', 'tenants.<tenant>.principals[].token_sha256', 'tenancy.cursor_previous_keys_b64', 'control.stale_after_ms']) {
      assert.ok(rows.some((r) => r.key === key), key);
    }
  });
});

/** The YAML's keys as reference keys (`clusters.default.url` → `clusters.<cluster>.url`). */
function keysOf(node: unknown, key: string, out: Set<string>): void {
  const generic = (k: string, parent: string): string => {
    const last = parent.split('.').pop() ?? '';
    return ({ clusters: '<cluster>', tenants: '<tenant>', indices: '<index>' } as Record<string, string>)[last] ?? k;
  };
  if (Array.isArray(node)) for (const item of node) keysOf(item, `${key}[]`, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      const next = key === '' ? k : `${key}.${generic(k, key)}`;
      out.add(next);
      keysOf(v, next, out);
    }
  }
}

describe('the example production configuration (docs/osproxy.example.yaml)', () => {
  it('loads through the real loader, its relative files next to it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osproxy-example-'));
    copyFileSync(new URL('docs/osproxy.example.yaml', ROOT), join(dir, 'osproxy.yaml'));
    mkdirSync(join(dir, 'tls'));
    for (const f of ['proxy.crt', 'proxy.key', 'clients-ca.crt', 'opensearch-ca.crt']) writeFileSync(join(dir, 'tls', f), 'placeholder\n');
    const config = loadConfig({ file: join(dir, 'osproxy.yaml'), env: { OSPROXY_CURSOR_KEY: Buffer.alloc(32, 1).toString('base64') } });
    assert.equal(config.listeners[0].tls?.cert_file, join(dir, 'tls', 'proxy.crt'));
    assert.deepEqual(config.listeners[1], { host: '127.0.0.1', port: 9280 }, 'the loopback listener the Docker health check calls');
    assert.equal(config.tenants.acme.indices.events.cluster, 'big');
    assert.ok(config.tenancy.cursor_key_b64 !== undefined);
  });

  it('uses only keys the reference documents', () => {
    const keys = new Set<string>();
    keysOf(parse(read('docs/osproxy.example.yaml')), '', keys);
    const documented = new Set(referenceRows().map((r) => r.key));
    assert.deepEqual([...keys].filter((k) => !documented.has(k)), []);
  });
});
