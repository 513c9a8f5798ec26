import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { hashToken } from '../../src/auth/index.ts';
import { spawnEngine, type EngineProcess } from '../helpers/engine-process.ts';
import { call } from '../helpers/http.ts';
import { spawnProxy, type ProxyProcess } from '../helpers/proxy-process.ts';

/*
 * dashboards/osproxy-grafana.json is built on what the proxy exports: every metric named in any
 * of its expressions is declared (# TYPE) in a real scrape — of a `serve --workers 2` proxy, so
 * the names are those of the aggregated exposition production serves. The checker is tested on
 * planted mistakes too.
 */

const FILE = new URL('../../dashboards/osproxy-grafana.json', import.meta.url);
const OPERATOR = { authorization: 'Bearer dash-operator' };
const ACME = { authorization: 'Bearer acme-token' };
const GLOBEX = { authorization: 'Bearer globex-token' };
const HISTOGRAM_PARTS = /_(bucket|sum|count)$/;

interface Target {
  expr?: string;
}
interface Panel {
  type: string;
  title: string;
  targets?: Target[];
  datasource?: { uid?: string };
  panels?: Panel[];
}
interface Dashboard {
  __inputs?: { name: string; type: string; pluginId: string }[];
  schemaVersion: number;
  panels: Panel[];
  templating?: { list: { name: string; type: string; query?: unknown }[] };
}

/** Every panel, rows' nested ones included (a collapsed row keeps its panels inside). */
function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every PromQL expression: panel targets and the templating queries. */
function expressions(d: Dashboard): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const p of allPanels(d)) for (const t of p.targets ?? []) if (t.expr !== undefined) out.push({ where: p.title, expr: t.expr });
  for (const v of d.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
    if (q !== undefined) out.push({ where: `variable ${v.name}`, expr: q });
  }
  return out;
}

/** Declared metrics of a scrape: name → type (from the # TYPE lines; # HELP names count too). */
function declared(scrape: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of scrape.matchAll(/^# HELP (\S+)/gm)) out.set(m[1], 'untyped');
  for (const m of scrape.matchAll(/^# TYPE (\S+) (\S+)/gm)) out.set(m[1], m[2]);
  return out;
}

/** The expressions' metric names the scrape does not declare (`_bucket|_sum|_count` only on a histogram). */
function unknownMetrics(d: Dashboard, scrape: string): string[] {
  const types = declared(scrape);
  const bad: string[] = [];
  for (const { where, expr } of expressions(d)) {
    for (const [name] of expr.matchAll(/osproxy_[a-z0-9_]+/g)) {
      const base = name.replace(HISTOGRAM_PARTS, '');
      const known = types.has(name) || (base !== name && types.get(base) === 'histogram');
      if (!known) bad.push(`${where}: ${name}`);
    }
  }
  return bad;
}

/** One request on a connection of its own, so that the cluster hands each to a worker anew. */
function fresh(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, agent: false, headers: { ...headers, connection: 'close', ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sum of a metric's samples whose labels match `labels` (a regex over the `{…}` part). */
function total(scrape: string, name: string, labels = /.*/): number {
  let sum = 0;
  for (const m of scrape.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm'))) if (labels.test(m[1] ?? '')) sum += Number(m[2]);
  return sum;
}

const dashboard = JSON.parse(readFileSync(FILE, 'utf8')) as Dashboard;

describe('the Grafana dashboard', () => {
  it('is a dashboard JSON on a ${DS_PROMETHEUS} input, and every panel has a query', () => {
    assert.ok(dashboard.schemaVersion >= 36, `schemaVersion ${dashboard.schemaVersion}`);
    assert.deepEqual(dashboard.__inputs?.map((i) => [i.name, i.type, i.pluginId]), [['DS_PROMETHEUS', 'datasource', 'prometheus']]);
    const panels = allPanels(dashboard).filter((p) => p.type !== 'row');
    assert.ok(panels.length >= 20, `${panels.length} panels`);
    for (const p of panels) {
      assert.ok((p.targets ?? []).length > 0, `${p.title}: no targets`);
      for (const t of p.targets ?? []) assert.match(t.expr ?? '', /osproxy_/, `${p.title}: an expression on osproxy's metrics`);
      assert.equal(p.datasource?.uid, '${DS_PROMETHEUS}', `${p.title}: the datasource input`);
    }
    const text = JSON.stringify(dashboard);
    for (const needed of ['osproxy_tenant_requests_total', 'osproxy_tenant_rejections_total', 'osproxy_upstream_breaker_open', 'osproxy_control_snapshot_age_seconds', 'osproxy_debug_headers_total', 'histogram_quantile(0.99']) {
      assert.ok(text.includes(needed), `the dashboard uses ${needed}`);
    }
  });

  it('the checker catches a metric that is not exported, and a histogram suffix on a non-histogram', () => {
    const scrape = '# HELP osproxy_requests_total r\n# TYPE osproxy_requests_total counter\n# HELP osproxy_proxy_seconds p\n# TYPE osproxy_proxy_seconds histogram\n';
    const planted = (expr: string): Dashboard => ({ schemaVersion: 39, panels: [{ type: 'timeseries', title: 'planted', targets: [{ expr }] }] });
    assert.deepEqual(unknownMetrics(planted('sum(rate(osproxy_requests_total[5m]))'), scrape), []);
    assert.deepEqual(unknownMetrics(planted('histogram_quantile(0.99, sum by (le) (rate(osproxy_proxy_seconds_bucket[5m])))'), scrape), []);
    assert.deepEqual(unknownMetrics(planted('rate(osproxy_made_up_total[5m]) / rate(osproxy_requests_total[5m])'), scrape), ['planted: osproxy_made_up_total']);
    assert.deepEqual(unknownMetrics(planted('rate(osproxy_requests_total_count[5m])'), scrape), ['planted: osproxy_requests_total_count']);
    // And on the real dashboard with one panel more.
    const withBad: Dashboard = { ...dashboard, panels: [...dashboard.panels, ...planted('sum(osproxy_tenant_made_up{tenant="x"})').panels] };
    assert.ok(unknownMetrics(withBad, '').includes('planted: osproxy_tenant_made_up'));
  });

  describe('against a real scrape (serve --workers 2, spawned engine)', () => {
    let engine: EngineProcess;
    let proxy: ProxyProcess;
    let scrape = '';
    const metrics = async (): Promise<string> => {
      const res = await call<string>(proxy.url, 'GET', '/_osproxy/metrics', undefined, { headers: OPERATOR });
      assert.equal(res.status, 200, res.text);
      return res.text;
    };

    before(async () => {
      engine = await spawnEngine();
      const tenant = (t: string): Record<string, unknown> => ({ principals: [{ name: `${t}-app`, token_sha256: hashToken(`${t}-token`), roles: ['read', 'write'] }] });
      proxy = await spawnProxy(
        {
          listeners: [{ host: '127.0.0.1', port: 0 }],
          clusters: { default: { url: engine.url } },
          tenants: { acme: tenant('acme'), globex: tenant('globex') },
          operators: [{ name: 'ops', token_sha256: hashToken('dash-operator') }],
          // globex: one request per 100 s, so its second one is a 429 on whichever worker.
          admission: { tenants: { globex: { rate_per_sec: 0.01, burst: 1 } } },
          log_level: 'warn',
        },
        [],
        {},
        ['--workers', '2'],
      );
      let doc = 0;
      const traffic = async (): Promise<void> => {
        const id = ++doc;
        assert.equal(await fresh(proxy.url, 'PUT', `/orders/_doc/${id}?refresh=true`, ACME, '{"item":"widget"}'), 201);
        assert.equal(await fresh(proxy.url, 'GET', `/orders/_doc/${id}`, ACME), 200);
        assert.equal(await fresh(proxy.url, 'GET', '/orders/_search?bogus=1', ACME), 400);
      };
      await traffic();
      // A 429: globex's bucket holds one request per worker; keep asking until one is refused.
      const deadline = Date.now() + 30_000;
      let refused = false;
      while (!refused) {
        assert.ok(Date.now() < deadline, 'globex was never rate-limited');
        refused = (await fresh(proxy.url, 'GET', '/orders/_search', GLOBEX)) === 429;
      }
      // The first scrape gives the tenants their own labels (tenant-metrics.ts); the traffic after it counts there.
      await metrics();
      for (let i = 0; i < 4; i++) await traffic();
      scrape = await metrics();
    });
    after(async () => {
      await proxy?.stop();
      await engine?.stop();
    });

    it('declares every metric the dashboard names', () => {
      assert.deepEqual(unknownMetrics(dashboard, scrape), []);
      assert.ok(expressions(dashboard).length >= 30);
    });

    it('has the tenant series filled in, summed over the workers', () => {
      // 4 rounds of 3 requests after the labelling scrape; acme is labelled in every worker that saw it.
      const acme = total(scrape, 'osproxy_tenant_requests_total', /tenant="acme"/);
      assert.ok(acme >= 1, 'acme has its own series');
      assert.ok(total(scrape, 'osproxy_tenant_requests_total', /tenant="(acme|other)"/) >= 15, 'all of acme\'s requests counted, own label or other');
      assert.ok(total(scrape, 'osproxy_tenant_rejections_total', /reason="tenant_rate_limited"/) >= 1, 'the 429');
      assert.ok(total(scrape, 'osproxy_tenant_rejections_total', /reason="unsupported_parameter"/) >= 4, 'the 400s');
      assert.ok(total(scrape, 'osproxy_tenant_bytes_total', /direction="in"/) >= 5 * '{"item":"widget"}'.length, 'request body bytes');
      assert.ok(total(scrape, 'osproxy_tenant_request_seconds_count') >= 15);
      assert.equal(scrape.match(/^# TYPE osproxy_tenant_requests_total /gm)?.length, 1, 'declared once in the aggregate');
      assert.match(scrape, /^osproxy_debug_headers_total\{outcome="tampered"\} 0$/m);
    });
  });
});
