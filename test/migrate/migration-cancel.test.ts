/**
 * Cancel from every phase before `complete` (SPEC §5.3): the index stays where it was, nothing
 * acknowledged is lost, no read fails, and nothing is left in the target. And bad input to the
 * migrations API is refused with a clear 4xx and starts nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../helpers/http.ts';
import { ACME, GLOBEX, MigrationFleet, OPERATOR, type MigrationView } from './migration-fleet.ts';
import { checkModel, Readers, Writer } from './workload.ts';

describe('live migration: cancel from each phase; bad input starts nothing', () => {
  let fleet: MigrationFleet;
  let globexBefore: string;

  before(async () => {
    fleet = await MigrationFleet.start();
    await fleet.seed(300);
    globexBefore = await fleet.view(GLOBEX);
  });
  after(() => fleet.stop());

  const start = async (body: Record<string, unknown>): Promise<MigrationView> => {
    const res = await fleet.admin('POST', '', { tenant: 'acme', index: 'orders', to: { kind: 'index' }, ...body });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };

  it('refuses bad input with a clear 4xx and starts nothing', async () => {
    const refusals: [string, Record<string, unknown>, number, RegExp][] = [
      ['the current placement', { tenant: 'acme', index: 'orders', to: { kind: 'shared' } }, 400, /already lives in placement \[shared\]/],
      ['an unknown cluster', { tenant: 'acme', index: 'orders', to: { kind: 'cluster', cluster: 'nowhere' } }, 400, /cluster \[nowhere\] is not configured/],
      ['an unknown tenant', { tenant: 'initech', index: 'orders', to: { kind: 'index' } }, 404, /tenant \[initech\] does not exist/],
      ['an unknown index', { tenant: 'acme', index: 'invoices', to: { kind: 'index' } }, 404, /no such index \[invoices\]/],
      ['an unknown key', { tenant: 'acme', index: 'orders', to: { kind: 'index' }, fast: true }, 400, /fast/],
      ['a placement that is none', { tenant: 'acme', index: 'orders', to: { kind: 'moon' } }, 400, /to/],
    ];
    for (const [what, body, status, reason] of refusals) {
      const res = await fleet.admin('POST', '', body);
      assert.equal(res.status, status, `${what}: ${res.text}`);
      assert.match(res.text, reason, what);
    }
    const anonymous = await call(fleet.any(), 'POST', '/_osproxy/admin/migrations', { tenant: 'acme', index: 'orders', to: { kind: 'index' } });
    assert.equal(anonymous.status, 401, anonymous.text);
    const tenantToken = await call(fleet.any(), 'POST', '/_osproxy/admin/migrations', { tenant: 'acme', index: 'orders', to: { kind: 'index' } }, { headers: ACME });
    assert.ok(tenantToken.status === 401 || tenantToken.status === 403, `a tenant's token is no operator's: ${tenantToken.text}`);

    const suspend = await call(fleet.any(), 'POST', '/_osproxy/admin/tenants/acme/_suspend', undefined, { headers: OPERATOR });
    assert.equal(suspend.status, 200, suspend.text);
    // Any instance refuses at once: the admin path reads the store, not its snapshot.
    const suspended = await fleet.admin('POST', '', { tenant: 'acme', index: 'orders', to: { kind: 'index' } });
    assert.equal(suspended.status, 409, suspended.text);
    assert.match(suspended.text, /tenant \[acme\] is suspended/);
    const resume = await call(fleet.any(), 'POST', '/_osproxy/admin/tenants/acme/_resume', undefined, { headers: OPERATOR });
    assert.equal(resume.status, 200, resume.text);
    await fleet.known('/orders/_count', ACME);

    const none = await fleet.admin('GET', '/acme/orders');
    assert.equal(none.status, 404, `no migration was started: ${none.text}`);
    assert.equal(await fleet.docsAt('index'), 0, 'no target was created');

    const first = await start({ max_docs_per_second: 20 });
    const second = await fleet.admin('POST', '', { tenant: 'acme', index: 'orders', to: { kind: 'cluster', cluster: 'second' } });
    assert.equal(second.status, 409, second.text);
    assert.match(second.text, /already being moved/);
    const still = await fleet.status();
    assert.equal(still.id, first.id, 'the first migration is the one that runs');
    assert.equal((await fleet.admin('POST', '/acme/orders/_cancel')).status, 200);
    await fleet.until('cancelled', (s) => s.id === first.id && s.state === 'cancelled');
  });

  it('cancels from copying, catching_up, verified and cutover: the index stays, the target goes', async (t) => {
    const writer = new Writer(fleet);
    const readers = new Readers(fleet);
    writer.start();
    readers.start(2);
    await writer.progress(20);
    const phases: [string, Record<string, unknown>, (s: MigrationView) => boolean][] = [
      ['copying', { max_docs_per_second: 50 }, (s) => s.state === 'copying' && s.copied > 0],
      ['catching_up', {}, (s) => s.state === 'catching_up'],
      ['verified', {}, (s) => s.state === 'verified'],
      ['cutover', { auto_cutover: true }, (s) => s.state === 'cutover' && s.fence !== null],
    ];
    for (const [phase, options, reached] of phases) {
      // A stream of large bulks keeps the catch-up finding changes, so it stays there until cancelled.
      writer.bursting = phase === 'catching_up';
      const m = await start(options);
      await fleet.until(phase, (s) => s.id === m.id && reached(s));
      const cancel = await fleet.admin('POST', '/acme/orders/_cancel');
      assert.equal(cancel.status, 200, cancel.text);
      const done = await fleet.until(`cancelled from ${phase}`, (s) => s.id === m.id && s.state === 'cancelled');
      writer.bursting = false;
      assert.equal(done.from, 'shared');
      assert.equal(await fleet.docsAt('index'), 0, `nothing is left in the target after a cancel from ${phase}`);
      const head = await call(fleet.engines[0].url, 'HEAD', '/t-acme-orders');
      assert.equal(head.status, 404, `the target index is gone after a cancel from ${phase}`);
      await writer.progress(20);
      t.diagnostic(`cancelled from ${phase}: epoch ${done.epoch}`);
    }
    const model = await writer.stop();
    await readers.stop();
    assert.deepEqual(readers.failures, [], 'no read failed');
    await checkModel(fleet, model);
    assert.equal(await fleet.view(GLOBEX), globexBefore, 'the tenant sharing the source index saw nothing change');
    const again = await fleet.admin('POST', '/acme/orders/_cancel');
    assert.equal(again.status, 409, `a cancelled migration cannot be cancelled again: ${again.text}`);
  });
});
