/**
 * Live migration under load (SPEC §5.3): one tenant's logical index moves shared → index →
 * cluster → shared while a writer and readers run against three instances. Every acknowledged
 * write is there once with its last value, no acknowledged delete comes back, no read fails, no
 * source took a write after its fence, and the tenant sharing the source index sees nothing change.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../helpers/http.ts';
import { ACME, GLOBEX, MigrationFleet } from './migration-fleet.ts';
import { checkModel, Readers, Writer } from './workload.ts';

describe('live migration: shared → index → cluster → shared under load, three instances', () => {
  let fleet: MigrationFleet;
  let globexBefore: string;

  before(async () => {
    fleet = await MigrationFleet.start();
    await fleet.seed();
    globexBefore = await fleet.view(GLOBEX);
  });
  after(() => fleet.stop());

  it('moves the index three times while writes and reads go on: nothing lost, nothing failed, one placement at a time', async (t) => {
    const writer = new Writer(fleet);
    const readers = new Readers(fleet);
    const globexReaders = new Readers(fleet, GLOBEX);
    writer.start();
    readers.start(2);
    globexReaders.start(1);
    await writer.progress(20);
    for (const to of [{ kind: 'index' }, { kind: 'cluster', cluster: 'second' }, { kind: 'shared' }]) {
      const started = await fleet.admin('POST', '', { tenant: 'acme', index: 'orders', to, auto_cutover: true, keep_source: true });
      assert.equal(started.status, 201, started.text);
      const m = await fleet.until('complete', (s) => s.id === started.body.id && s.state === 'complete', 60_000);
      assert.ok(m.fence !== null, 'the cutover fenced writes');
      const stamp = await fleet.highestStamp(m.from);
      assert.ok(stamp !== null, `the source (${m.from}) holds stamped writes`);
      assert.equal(stamp, m.fence.epoch - 1, `the source (${m.from}) took its writes at its own epoch, none at or after its fence at ${m.fence.epoch}`);
      t.diagnostic(`${m.from} → ${m.to}: fence at epoch ${m.fence.epoch}, source's last write at epoch ${stamp}, diff ${JSON.stringify(m.diff)}`);
      const cleanup = await fleet.admin('POST', '/acme/orders/_cleanup');
      assert.equal(cleanup.status, 200, cleanup.text);
      await writer.progress(20);
    }
    await new Promise((r) => setTimeout(r, 300));
    const model = await writer.stop();
    await readers.stop();
    await globexReaders.stop();
    t.diagnostic(`writes acknowledged ${model.acknowledged}, retried ${model.retried}, longest pause ${model.longestPause} ms (${model.longestPauseAttempts.slice(0, 300)}); reads ${readers.reads}`);
    assert.ok(model.acknowledged > 100, `only ${model.acknowledged} writes were acknowledged`);
    assert.deepEqual(readers.failures, [], 'no read failed');
    assert.deepEqual(globexReaders.failures, [], 'the other tenant’s reads never failed');
    await checkModel(fleet, model);
    assert.equal(await fleet.view(GLOBEX), globexBefore, 'the tenant sharing the source index saw nothing change');
    // With the readers gone, every earlier source goes: the dedicated index and the second cluster's copy.
    const done = await fleet.until('sources removed', (s) => s.source_removed && s.leftovers.length === 0, 20_000);
    assert.equal(done.state, 'complete');
    for (const [engine, index] of [[0, 't-acme-orders'], [1, 'orders']] as const) {
      const res = await call(fleet.engines[engine].url, 'HEAD', `/${index}`);
      assert.equal(res.status, 404, `the old source ${index} on engine ${engine} was removed`);
    }
  });

  it('a move into a place holding an older copy of the index clears it first: equal versions never hide a difference', async () => {
    const move = async (to: Record<string, string>): Promise<void> => {
      const started = await fleet.admin('POST', '', { tenant: 'acme', index: 'orders', to, auto_cutover: true, keep_source: true });
      assert.equal(started.status, 201, started.text);
      await fleet.until('complete', (s) => s.id === started.body.id && s.state === 'complete', 60_000);
    };
    // As a client does: a write refused while instances learn of a flip is sent again.
    const write = async (method: string, path: string, body?: unknown): Promise<number> => {
      for (let i = 0; ; i++) {
        const res = await call(fleet.any(), method, path, body, { headers: ACME });
        if (res.status !== 409 || i > 200) return res.status;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const put = async (id: string, v: number): Promise<void> => {
      const status = await write('PUT', `/orders/_doc/${id}?refresh=true`, { v, tag: 'lineage' });
      assert.ok(status === 200 || status === 201, `PUT ${status}`);
    };
    await put('lineage', 1); // version 1 in the shared index, kept there by keep_source
    await move({ kind: 'index' });
    assert.equal(await write('DELETE', '/orders/_doc/lineage?refresh=true'), 200);
    await move({ kind: 'cluster', cluster: 'second' }); // the id is not copied: no tombstone there
    await put('lineage', 2); // version 1 again, other content
    await move({ kind: 'shared' }); // back where the kept copy holds version 1 with v 1
    const got = await call<{ _source?: { v: number } }>(fleet.any(), 'GET', '/orders/_doc/lineage', undefined, { headers: ACME });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body._source?.v, 2, 'the document holds its last value, not the older copy’s');
  });
});

