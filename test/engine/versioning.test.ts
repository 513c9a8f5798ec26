import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { call } from '../helpers/http.ts';

type Body = Record<string, unknown> & { error?: { type: string; reason: string } };

describe('engine versioning and optimistic concurrency', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ port: 0 });
  });
  after(() => engine.close());

  it('increments _version and _seq_no on every write and reports _primary_term', async () => {
    const a = await call<Body>(engine.url, 'PUT', '/ver/_doc/1', { n: 1 });
    assert.equal(a.status, 201);
    assert.equal(a.body.result, 'created');
    assert.equal(a.body._version, 1);
    assert.equal(a.body._primary_term, 1);
    const b = await call<Body>(engine.url, 'PUT', '/ver/_doc/1', { n: 2 });
    assert.equal(b.status, 200);
    assert.equal(b.body.result, 'updated');
    assert.equal(b.body._version, 2);
    assert.equal(b.body._seq_no, (a.body._seq_no as number) + 1);
    const g = await call<Body>(engine.url, 'GET', '/ver/_doc/1');
    assert.equal(g.body._version, 2);
    assert.equal(g.body._seq_no, b.body._seq_no);
  });

  it('answers 409 version_conflict_engine_exception for a stale if_seq_no', async () => {
    const cur = await call<Body>(engine.url, 'GET', '/ver/_doc/1');
    const ok = await call<Body>(engine.url, 'PUT', `/ver/_doc/1?if_seq_no=${cur.body._seq_no}&if_primary_term=1`, { n: 3 });
    assert.equal(ok.status, 200);
    const stale = await call<Body>(engine.url, 'PUT', `/ver/_doc/1?if_seq_no=${cur.body._seq_no}&if_primary_term=1`, { n: 4 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error?.type, 'version_conflict_engine_exception');
    assert.match(stale.body.error!.reason, /required seqNo/);
    const after = await call<Body>(engine.url, 'GET', '/ver/_doc/1');
    assert.deepEqual(after.body._source, { n: 3 });
  });

  it('answers 409 for op_type=create and _create on an existing id', async () => {
    const viaParam = await call<Body>(engine.url, 'PUT', '/ver/_doc/1?op_type=create', { n: 9 });
    assert.equal(viaParam.status, 409);
    assert.match(viaParam.body.error!.reason, /document already exists/);
    const viaEndpoint = await call<Body>(engine.url, 'PUT', '/ver/_create/1', { n: 9 });
    assert.equal(viaEndpoint.status, 409);
    const fresh = await call<Body>(engine.url, 'PUT', '/ver/_create/2', { n: 1 });
    assert.equal(fresh.status, 201);
  });

  it('takes the given version with version_type=external and refuses lower ones', async () => {
    const set = await call<Body>(engine.url, 'PUT', '/ver/_doc/ext?version=10&version_type=external', { n: 1 });
    assert.equal(set.status, 201);
    assert.equal(set.body._version, 10);
    const same = await call<Body>(engine.url, 'PUT', '/ver/_doc/ext?version=10&version_type=external', { n: 2 });
    assert.equal(same.status, 409);
    const higher = await call<Body>(engine.url, 'PUT', '/ver/_doc/ext?version=12&version_type=external', { n: 3 });
    assert.equal(higher.body._version, 12);
    const gte = await call<Body>(engine.url, 'PUT', '/ver/_doc/ext?version=12&version_type=external_gte', { n: 4 });
    assert.equal(gte.status, 200);
  });

  it('refuses internal versioning for concurrency control like OpenSearch 2.x', async () => {
    const res = await call<Body>(engine.url, 'PUT', '/ver/_doc/1?version=3', { n: 1 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.type, 'action_request_validation_exception');
  });

  it('keeps counting versions across a delete', async () => {
    await call(engine.url, 'PUT', '/ver/_doc/gone', { n: 1 });
    const del = await call<Body>(engine.url, 'DELETE', '/ver/_doc/gone');
    assert.equal(del.body.result, 'deleted');
    assert.equal(del.body._version, 2);
    const again = await call<Body>(engine.url, 'PUT', '/ver/_doc/gone', { n: 2 });
    assert.equal(again.status, 201);
    assert.equal(again.body._version, 3);
    const missing = await call<Body>(engine.url, 'DELETE', '/ver/_doc/never');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.result, 'not_found');
  });
});
