/**
 * A driver killed with SIGKILL is replaced (SPEC §5.3): once while copying, once during the
 * cutover. Another instance takes the lease when it expires and resumes where the store says the
 * migration was; the invariants of a live migration hold as if nothing had happened.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GLOBEX, MigrationFleet } from './migration-fleet.ts';
import { checkModel, Readers, Writer } from './workload.ts';

describe('live migration: the driver is killed while copying and during the cutover', () => {
  let fleet: MigrationFleet;
  let globexBefore: string;

  before(async () => {
    fleet = await MigrationFleet.start();
    await fleet.seed(400);
    globexBefore = await fleet.view(GLOBEX);
  });
  after(() => fleet.stop());

  it('resumes on another instance: nothing lost, no read failed, one placement at a time', async (t) => {
    const writer = new Writer(fleet);
    const readers = new Readers(fleet);
    writer.start();
    readers.start(2);
    await writer.progress(20);
    // Throttled, so the copy is still going when its driver dies.
    const started = await fleet.admin('POST', '', { tenant: 'acme', index: 'orders', to: { kind: 'index' }, max_docs_per_second: 100 });
    assert.equal(started.status, 201, started.text);
    const copying = await fleet.until('copying with a driver', (s) => s.state === 'copying' && s.copied > 0 && s.driver !== null);
    const first = await fleet.killDriver(copying);
    const verified = await fleet.until('verified after the first driver died', (s) => s.state === 'verified');
    assert.ok(verified.driver !== null && !verified.driver.includes(`-${first}-`), `another instance drives it now (${verified.driver})`);
    assert.ok(verified.total > 300 && verified.copied >= verified.total, `the copy went on to the end (${verified.copied} of ${verified.total} copied)`);

    const cut = await fleet.admin('POST', '/acme/orders/_cutover');
    assert.equal(cut.status, 200, cut.text);
    const fenced = await fleet.until('fenced', (s) => s.state === 'cutover' && s.fence !== null && s.driver !== null);
    const second = await fleet.killDriver(fenced);
    const done = await fleet.until('complete after the second driver died', (s) => s.state === 'complete', 30_000);
    assert.ok(done.driver === null || !done.driver.includes(`-${second}-`), 'the dead instance did not finish it');
    assert.ok(done.fence !== null);
    assert.equal(await fleet.highestStamp('shared'), done.fence.epoch - 1, 'the source took no write at or after its fence');
    await writer.progress(20);

    const model = await writer.stop();
    await readers.stop();
    t.diagnostic(`drivers killed: pid ${first} (copying), pid ${second} (cutover); writes ${model.acknowledged}, longest pause ${model.longestPause} ms`);
    assert.deepEqual(readers.failures, [], 'no read failed');
    await checkModel(fleet, model);
    assert.equal(await fleet.view(GLOBEX), globexBefore, 'the tenant sharing the source index saw nothing change');
    await fleet.until('source removed', (s) => s.source_removed, 20_000);
    assert.equal(await fleet.docsAt('shared'), 0, 'the source copy went once nobody could read it');
  });
});
