/**
 * The fixture of the live-migration tests (SPEC §5.3): two engines (the second for cluster
 * placement), three `serve` processes sharing one fleet store, short timeouts so a cutover's drain
 * stays short, a writer that keeps a model of every acknowledged write, readers that count every
 * failed read, and the invariant checks run at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashToken } from '../../src/auth/index.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { call, type HttpResult } from '../helpers/http.ts';
import { spawnProxy, type ProxyProcess } from '../helpers/proxy-process.ts';
import type { MigrationView } from '../../src/cli/migration-follow.ts';

export const OPERATOR = { authorization: 'Bearer migrate-operator' };
export const ACME = { authorization: 'Bearer acme-token' };
export const GLOBEX = { authorization: 'Bearer globex-token' };

export type { MigrationView };

/** Where each placement of acme's `orders` lives (engine, physical index), to read it directly. */
const LOCATIONS: Record<string, { engine: number; index: string; shared: boolean }> = {
  shared: { engine: 0, index: 'osproxy-shared-orders', shared: true },
  index: { engine: 0, index: 't-acme-orders', shared: false },
  'cluster:second': { engine: 1, index: 'orders', shared: false },
};

export class MigrationFleet {
  readonly proxies: ProxyProcess[] = [];
  private config: Record<string, unknown> = {};

  private constructor(readonly engines: EngineProcess[]) {}

  static async start(): Promise<MigrationFleet> {
    const fleet = new MigrationFleet([await spawnEngine(), await spawnEngine()]);
    fleet.config = {
      listeners: [{ host: '127.0.0.1', port: 0 }],
      clusters: { default: { url: fleet.engines[0].url, request_timeout_ms: 2_000 }, second: { url: fleet.engines[1].url, request_timeout_ms: 2_000 } },
      operators: [{ name: 'sre', token_sha256: hashToken('migrate-operator') }],
      tenants: {
        acme: { principals: [{ name: 'app', token_sha256: hashToken('acme-token'), roles: ['read', 'write', 'manage'] }] },
        globex: { principals: [{ name: 'app', token_sha256: hashToken('globex-token'), roles: ['read', 'write', 'manage'] }] },
      },
      tenancy: { cursor_key_b64: randomBytes(32).toString('base64') },
      control: { poll_ms: 100, heartbeat_ms: 100, write_fence_ms: 2_000, migration_lease_ms: 1_500, migration_cleanup_grace_ms: 300 },
      log_level: 'warn',
    };
    for (let i = 0; i < 3; i++) fleet.proxies.push(await spawnProxy(fleet.config));
    return fleet;
  }

  async stop(): Promise<void> {
    for (const p of this.proxies) await p.stop().catch(() => undefined);
    for (const e of this.engines) await e.stop();
  }

  /** Waits until every instance serves `path` for the tenant (a new index reaches the others by the next poll). */
  async known(path: string, headers: Record<string, string>): Promise<void> {
    for (const p of this.proxies) {
      for (let i = 0; ; i++) {
        const res = await call(p.url, 'GET', path, undefined, { headers });
        if (res.status === 200) break;
        assert.ok(i < 200, `instance ${p.url} never served ${path}: ${res.text}`);
        await sleep(10);
      }
    }
  }

  /** A random live instance. */
  any(): string {
    return this.proxies[Math.floor(Math.random() * this.proxies.length)].url;
  }

  /** Every instance, in random order. */
  shuffled(): string[] {
    const urls = this.proxies.map((p) => p.url);
    for (let i = urls.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [urls[i], urls[j]] = [urls[j], urls[i]];
    }
    return urls;
  }

  async admin(method: string, path: string, body?: unknown): Promise<HttpResult<MigrationView & { migrations?: MigrationView[] }>> {
    return call(this.any(), method, `/_osproxy/admin/migrations${path}`, body, { headers: OPERATOR });
  }

  async status(): Promise<MigrationView> {
    const res = await this.admin('GET', '/acme/orders');
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  /** Polls the migration until `done` says so (every 10 ms: short states are caught too). */
  async until(what: string, done: (m: MigrationView) => boolean, timeoutMs = 30_000): Promise<MigrationView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.status();
      if (done(m)) return m;
      assert.ok(Date.now() < deadline, `migration never reached ${what}: ${JSON.stringify(m)}`);
      await sleep(10);
    }
  }

  /** Seeds `acme` and `globex` with documents in the shared `orders` index, known to every instance. */
  async seed(acmeDocs = 200): Promise<void> {
    const lines = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => [{ index: { _index: 'orders', _id: `${prefix}${i}` } }, { v: 0, tag: 'seed' }]).flat();
    for (const [headers, body] of [[ACME, lines(acmeDocs, 'k')], [GLOBEX, lines(50, 'g')]] as const) {
      const res = await call<{ errors: boolean }>(this.any(), 'POST', '/_bulk?refresh=true', body, { headers, ndjson: true });
      assert.equal(res.body.errors, false, res.text.slice(0, 300));
    }
    await this.known('/orders/_count', ACME);
    await this.known('/orders/_count', GLOBEX);
  }

  /** What a tenant's search shows of `orders` (ids and sources, sorted): compared before and after. */
  async view(headers: Record<string, string>): Promise<string> {
    const res = await call<{ hits: { hits: { _id: string; _source: unknown }[] } }>(this.any(), 'POST', '/orders/_search', { size: 1_000, sort: ['_id'] }, { headers });
    assert.equal(res.status, 200, res.text);
    return JSON.stringify(res.body.hits.hits.map((h) => [h._id, h._source]));
  }

  /** The highest epoch stamped on acme's documents in a placement, read from its engine (null: none there). */
  async highestStamp(placement: string): Promise<number | null> {
    const loc = LOCATIONS[placement];
    const engine = this.engines[loc.engine].url;
    await call(engine, 'POST', `/${loc.index}/_refresh`);
    const query = loc.shared ? { bool: { filter: [{ term: { _tenant: 'acme' } }, { term: { _lindex: 'orders' } }] } } : { match_all: {} };
    const res = await call<{ aggregations?: { top: { value: number | null } } }>(engine, 'POST', `/${loc.index}/_search`, { size: 0, query, aggs: { top: { max: { field: '_epoch' } } } });
    assert.equal(res.status, 200, res.text);
    return res.body.aggregations?.top.value ?? null;
  }

  /** Each placement's copy of one of acme's documents (value, version, epoch), read from the engines: what a failed check prints. */
  async whereIs(id: string): Promise<string> {
    const out: string[] = [];
    for (const [placement, loc] of Object.entries(LOCATIONS)) {
      const path = loc.shared ? `/${loc.index}/_doc/${encodeURIComponent(`acme:orders:${id}`)}?routing=acme` : `/${loc.index}/_doc/${encodeURIComponent(id)}`;
      const res = await call<{ found?: boolean; _version?: number; _source?: Record<string, unknown> }>(this.engines[loc.engine].url, 'GET', path);
      const src = res.body._source ?? {};
      const v = Object.entries(src).find(([k]) => k === 'v' || k.startsWith('v__osx_'))?.[1];
      out.push(res.body.found === true ? `${placement}: v=${String(v)} version ${res.body._version} epoch ${String(src._epoch)}` : `${placement}: -`);
    }
    return out.join('; ');
  }

  /** How many of acme's documents a placement holds, read from its engine (0 when its index is gone). */
  async docsAt(placement: string): Promise<number> {
    const loc = LOCATIONS[placement];
    const engine = this.engines[loc.engine].url;
    const query = loc.shared ? { bool: { filter: [{ term: { _tenant: 'acme' } }, { term: { _lindex: 'orders' } }] } } : { match_all: {} };
    await call(engine, 'POST', `/${loc.index}/_refresh`);
    const res = await call<{ count: number }>(engine, 'POST', `/${loc.index}/_count`, { query });
    if (res.status === 404) return 0;
    assert.equal(res.status, 200, res.text);
    return res.body.count;
  }

  /** SIGKILLs the instance whose pid the lease holder's id names, and starts a replacement. */
  async killDriver(m: MigrationView): Promise<number> {
    const victim = this.proxies.find((p) => m.driver !== null && m.driver.includes(`-${p.pid}-`));
    assert.ok(victim !== undefined, `no instance drives the migration (driver ${m.driver})`);
    victim.child.kill('SIGKILL');
    await new Promise((r) => victim.child.once('exit', r));
    this.proxies.splice(this.proxies.indexOf(victim), 1);
    this.proxies.push(await spawnProxy(this.config));
    return victim.pid;
  }
}
