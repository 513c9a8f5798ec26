import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterSchema } from '../../src/config/schema.ts';
import { ClusterFleetStore, STORE_MAPPING } from '../../src/control/cluster-store.ts';
import type { StoredDoc } from '../../src/control/documents.ts';
import { StoreConflict, StoreUnavailable } from '../../src/control/fleet-store.ts';
import { mappingProblem } from '../../src/control/store-repair.ts';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { UpstreamCluster } from '../../src/upstream/cluster.ts';
import type { JsonObject } from '../../src/core/json.ts';
import { call } from '../helpers/http.ts';

const tenantDoc = (key: string, seqNo = 0): StoredDoc => ({ kind: 'tenant', key, body: { placement: { kind: 'shared', routing: 'tenant' }, indices: {}, principals: [], state: 'active', version: 1, created_at: 1 }, deleted: false, updatedAt: 1_000, seqNo, primaryTerm: 1 });

describe('the fleet store on a cluster: guarded writes, change reads, repair', () => {
  let engine: RunningEngine;
  let cluster: UpstreamCluster;
  let n = 0;
  const fresh = (): { store: ClusterFleetStore; alias: string } => {
    const alias = `.osproxy-test-${n++}`;
    return { store: new ClusterFleetStore(cluster, alias), alias };
  };

  before(async () => {
    engine = await startEngine({ port: 0 });
    cluster = new UpstreamCluster('control', ClusterSchema.parse({ url: engine.url }));
  });
  after(async () => {
    await cluster.close();
    await engine.close();
  });

  it('creates a missing store with its alias, strict mapping and meta document', async () => {
    const { store, alias } = fresh();
    assert.deepEqual(await store.ensure(() => []), { outcome: 'created' });
    const aliases = await call<Record<string, unknown>>(engine.url, 'GET', `/_alias/${alias}`);
    assert.deepEqual(Object.keys(aliases.body), [`${alias}-v1`]);
    assert.equal((await store.readAll()).docs.length, 0);
    assert.deepEqual(await store.ensure(() => []), { outcome: 'ok' });
  });

  it('guards every change by the version it was read at, and reads changes by _seq_no', async () => {
    const { store } = fresh();
    await store.ensure(() => []);
    const created = await store.create({ kind: 'tenant', key: 'acme', deleted: false, body: { a: 1 } });
    await assert.rejects(store.create({ kind: 'tenant', key: 'acme', deleted: false, body: {} }), StoreConflict);
    const replaced = await store.replace({ kind: 'tenant', key: 'acme', deleted: false, body: { a: 2 } }, created);
    await assert.rejects(store.replace({ kind: 'tenant', key: 'acme', deleted: false, body: { a: 3 } }, created), StoreConflict, 'a stale version loses');
    const all = await store.readAll();
    assert.deepEqual(all.docs.map((d) => d.body), [{ a: 2 }]);
    const other = await store.create({ kind: 'tenant', key: 'globex', deleted: false, body: {} });
    const changes = await store.readChanges(replaced.seqNo);
    assert.ok(changes.docs.some((d) => d.key === 'globex' && d.seqNo === other.seqNo));
    assert.equal(changes.incarnation, all.incarnation);
  });

  it('never re-creates a lost store by writing to it: the write fails, a repair rebuilds it', async () => {
    const { store, alias } = fresh();
    await store.ensure(() => []);
    const before = await store.readAll();
    assert.equal((await call(engine.url, 'DELETE', `/${alias}-v1`)).status, 200);
    await assert.rejects(store.put({ kind: 'instance', key: 'i1', deleted: false, body: {} }), StoreUnavailable);
    assert.equal((await call(engine.url, 'HEAD', `/${alias}`)).status, 404, 'no index was auto-created');
    await assert.rejects(store.readChanges(0), (e: unknown) => e instanceof StoreUnavailable && e.missing);
    const result = await store.ensure(() => [tenantDoc('acme')]);
    assert.equal(result.outcome, 'repaired');
    const after = await store.readAll();
    assert.deepEqual(after.docs.map((d) => d.key), ['acme']);
    assert.notEqual(after.incarnation, before.incarnation, 'instances notice the rebuilt store');
  });

  it('replaces an index squatting the alias name (dynamic mapping), keeping what it held', async () => {
    const { store, alias } = fresh();
    const squat = await call(engine.url, 'PUT', `/${alias}/_doc/tenant:globex?refresh=true`, { kind: 'tenant', key: 'globex', deleted: false, updated_at: 5_000, body: { placement: { kind: 'shared' }, indices: {}, principals: [] } });
    assert.equal(squat.status, 201);
    const result = await store.ensure(() => [tenantDoc('acme')]);
    assert.equal(result.outcome, 'repaired');
    assert.match(result.detail ?? '', /is an index, not the store's alias/);
    assert.deepEqual((await store.readAll()).docs.map((d) => d.key).sort(), ['acme', 'globex']);
    const mapping = await call<Record<string, { mappings: JsonObject }>>(engine.url, 'GET', `/${alias}/_mapping`);
    assert.equal(mappingProblem(STORE_MAPPING, Object.values(mapping.body)[0].mappings), undefined);
  });

  it('moves a store whose index has a wrong mapping to the next generation', async () => {
    const { store, alias } = fresh();
    assert.equal((await call(engine.url, 'PUT', `/${alias}-v1`, { aliases: { [alias]: {} }, mappings: { properties: { kind: { type: 'text' } } } })).status, 200);
    const result = await store.ensure(() => [tenantDoc('acme')]);
    assert.equal(result.outcome, 'repaired');
    const aliases = await call<Record<string, unknown>>(engine.url, 'GET', `/_alias/${alias}`);
    assert.deepEqual(Object.keys(aliases.body), [`${alias}-v2`]);
    assert.equal((await call(engine.url, 'HEAD', `/${alias}-v1`)).status, 404, 'the malformed index is gone');
  });

  it('judges mappings: strict, every field typed, the body not indexed', () => {
    assert.equal(mappingProblem(STORE_MAPPING, STORE_MAPPING), undefined);
    assert.match(mappingProblem(STORE_MAPPING, { ...STORE_MAPPING, dynamic: 'true' }) ?? '', /dynamic/);
    assert.match(mappingProblem(STORE_MAPPING, { dynamic: 'strict', properties: { ...(STORE_MAPPING.properties as object), kind: { type: 'text' } } }) ?? '', /\[kind\] is \[text\]/);
    assert.match(mappingProblem(STORE_MAPPING, { dynamic: 'strict', properties: { ...(STORE_MAPPING.properties as object), body: { type: 'object' } } }) ?? '', /\[body\] is indexed/);
    assert.match(mappingProblem(STORE_MAPPING, undefined) ?? '', /no mapping/);
  });
});
