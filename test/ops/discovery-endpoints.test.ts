import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { call, type HttpResult } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

/*
 * Endpoints client tools call at start-up, served tenant-scoped (SPEC §4.3): each answers from the
 * caller's own logical indexes only — a second tenant sees none of the first's names, settings or
 * PITs — and nothing physical (index names, uuids, nodes, addresses of the cluster) appears.
 */

type Res = HttpResult<Record<string, unknown>>;

describe('discovery endpoints, tenant-scoped', () => {
  let stack: Stack;
  let engineNode: { id: string; name: string };
  const as = (who: string, method: string, path: string, body?: unknown): Promise<Res> => call(stack.url, method, path, body, { headers: stack.auth[who] });
  const ok = async (who: string, path: string): Promise<Res> => {
    const res = await as(who, 'GET', path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res;
  };
  /** Nothing physical, and nothing of the other tenant's, in an answer. */
  const assertClean = (res: Res, foreign: string[]): void => {
    for (const word of ['osproxy-shared', 't-acme-', '.osproxy', engineNode.id, engineNode.name, new URL(stack.engine.url).host, ...foreign]) {
      assert.ok(!res.text.includes(word), `[${word}] leaked: ${res.text}`);
    }
  };

  before(async () => {
    stack = await startStack({
      tenantExtra: { acme: { indices: { 'logs-1': { kind: 'index' } } } },
      extra: { tenancy: { cursor_key_b64: randomBytes(32).toString('base64') } },
    });
    assert.equal((await as('acme', 'PUT', '/logs-1', { settings: { number_of_shards: 2, refresh_interval: '5s' } })).status, 200);
    assert.equal((await as('acme', 'PUT', '/orders/_doc/1?refresh=true', { a: 1 })).status, 201);
    assert.equal((await as('globex', 'PUT', '/secret-plans/_doc/1?refresh=true', { a: 1 })).status, 201);
    assert.equal((await as('globex', 'PUT', '/orders/_doc/1?refresh=true', { a: 1 })).status, 201);
    const nodes = await call<{ nodes: Record<string, { name: string }> }>(stack.engine.url, 'GET', '/_nodes');
    const [id, node] = Object.entries(nodes.body.nodes)[0];
    engineNode = { id, name: node.name };
  });
  after(() => stack.close());

  it('_resolve/index: the tenant’s own logical names only', async () => {
    const acme = await ok('acme', '/_resolve/index/*');
    assert.deepEqual(acme.body, { indices: [{ name: 'logs-1', attributes: ['open'] }, { name: 'orders', attributes: ['open'] }], aliases: [], data_streams: [] });
    assertClean(acme, ['secret-plans']);
    const globex = await ok('globex', '/_resolve/index/*');
    assert.deepEqual((globex.body.indices as { name: string }[]).map((i) => i.name), ['orders', 'secret-plans']);
    assertClean(globex, ['logs-1']);
    assert.deepEqual((await ok('globex', '/_resolve/index/logs-*,missing')).body, { indices: [], aliases: [], data_streams: [] });
  });

  it('GET _settings: synthesized, the dedicated index’s own settings, nothing internal', async () => {
    const res = await ok('acme', '/_settings');
    assertClean(res, ['secret-plans']);
    const body = res.body as Record<string, { settings: { index: Record<string, unknown> } }>;
    assert.deepEqual(Object.keys(body), ['logs-1', 'orders']);
    const logs = body['logs-1'].settings.index;
    assert.deepEqual([logs.number_of_shards, logs.refresh_interval, logs.provided_name], ['2', '5s', 'logs-1']);
    const orders = body.orders.settings.index;
    assert.deepEqual(Object.keys(orders).sort(), ['creation_date', 'provided_name', 'uuid', 'version'], 'a shared index’s settings are the operator’s');
    const index = await ok('acme', '/orders');
    const uuid = ((index.body.orders as { settings: { index: { uuid: string } } }).settings.index).uuid;
    assert.equal(orders.uuid, uuid, 'the same uuid as GET /{index}');
    const flat = await ok('acme', '/logs-1/_settings/index.number_*?flat_settings=true');
    assert.deepEqual(flat.body, { 'logs-1': { settings: { 'index.number_of_replicas': '1', 'index.number_of_shards': '2' } } });
    const globex = await ok('globex', '/_settings');
    assert.deepEqual(Object.keys(globex.body), ['orders', 'secret-plans']);
    assertClean(globex, ['logs-1']);
    assert.notEqual((globex.body.orders as { settings: { index: { uuid: string } } }).settings.index.uuid, uuid, 'per-tenant uuids');
    assert.equal((await as('globex', 'GET', '/logs-1/_settings')).status, 404);
  });

  it('GET _alias: the tenant’s own indexes with empty aliases; named aliases are missing', async () => {
    const all = await ok('acme', '/_alias');
    assert.deepEqual(all.body, { 'logs-1': { aliases: {} }, orders: { aliases: {} } });
    assertClean(all, ['secret-plans']);
    assert.deepEqual((await ok('globex', '/orders/_alias')).body, { orders: { aliases: {} } });
    assert.deepEqual((await ok('globex', '/_alias')).body, { orders: { aliases: {} }, 'secret-plans': { aliases: {} } });
    const named = await as('acme', 'GET', '/_alias/current');
    assert.deepEqual([named.status, named.body], [404, { error: 'alias [current] missing', status: 404 }]);
    assert.deepEqual((await ok('acme', '/_alias/cur*')).body, {});
    // The fleet store's alias on the same cluster is nobody's business.
    const fleet = await as('acme', 'GET', '/_alias/.osproxy-fleet');
    assert.equal(fleet.status, 404);
    assert.equal((await as('globex', 'GET', '/logs-1/_alias')).status, 404);
    assert.equal((await as('acme', 'HEAD', '/_alias/current')).status, 404);
  });

  it('GET _nodes: one synthesized node at the proxy’s own address, the upstream’s version', async () => {
    const res = await ok('acme', '/_nodes');
    assertClean(res, []);
    const nodes = res.body.nodes as Record<string, { name: string; version: string; http: { publish_address: string } }>;
    const [node] = Object.values(nodes);
    assert.equal(node.name, 'osproxy');
    assert.equal(node.http.publish_address, new URL(stack.url).host);
    const info = await call<{ version: { number: string } }>(stack.engine.url, 'GET', '/');
    assert.equal(node.version, info.body.version.number);
    assert.deepEqual((await ok('globex', '/_nodes')).body, res.body, 'the same for every tenant');
    const http = await ok('acme', '/_nodes/_all/http');
    assert.ok(Object.values(http.body.nodes as Record<string, Record<string, unknown>>).every((n) => n.http !== undefined && n.settings === undefined));
    assert.deepEqual((await ok('acme', '/_nodes/nobody')).body, { _nodes: { total: 0, successful: 0, failed: 0 }, cluster_name: 'osproxy', nodes: {} });
    const stats = await as('acme', 'GET', '/_nodes/stats');
    assert.equal(stats.status, 400);
    assert.equal((stats.body.osproxy as { code: string }).code, 'unsupported_endpoint');
    // The official client's node listing works through it.
    const client = new Client({ node: stack.url, headers: stack.auth.acme });
    const viaClient = await client.nodes.info();
    assert.equal(Object.values(viaClient.body.nodes as Record<string, { name: string }>)[0].name, 'osproxy');
  });

  it('GET _search/point_in_time/_all: the caller’s own PITs only, under their sealed ids', async () => {
    const open = async (who: string, index: string): Promise<string> => {
      const res = await as(who, 'POST', `/${index}/_search/point_in_time?keep_alive=1m`);
      assert.equal(res.status, 200, res.text);
      return res.body.pit_id as string;
    };
    const acmePits = [await open('acme', 'orders'), await open('acme', 'logs-1')];
    const globexPit = await open('globex', 'orders');
    const acme = await ok('acme', '/_search/point_in_time/_all');
    const listed = acme.body.pits as { pit_id: string; creation_time: number; keep_alive: number }[];
    assert.deepEqual(listed.map((p) => p.pit_id).sort(), [...acmePits].sort());
    assert.ok(listed.every((p) => typeof p.creation_time === 'number' && p.keep_alive === 60_000), acme.text);
    assert.ok(!acme.text.includes(globexPit));
    const globex = await ok('globex', '/_search/point_in_time/_all');
    assert.deepEqual((globex.body.pits as { pit_id: string }[]).map((p) => p.pit_id), [globexPit]);
    // The engine itself lists all three (so the filtering is the proxy's).
    const direct = await call<{ pits: unknown[] }>(stack.engine.url, 'GET', '/_search/point_in_time/_all');
    assert.equal(direct.body.pits.length, 3);
    await as('acme', 'DELETE', '/_search/point_in_time/_all');
    assert.deepEqual((await ok('acme', '/_search/point_in_time/_all')).body, { pits: [] });
    assert.deepEqual((await ok('globex', '/_search/point_in_time/_all')).body.pits, [{ pit_id: globexPit, creation_time: (globex.body.pits as { creation_time: number }[])[0].creation_time, keep_alive: 60_000 }]);
  });
});
