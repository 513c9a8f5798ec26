/**
 * The chaos harness against a deliberately broken proxy (the test-only OSPROXY_TEST_BREAK switch,
 * src/core/test-break.ts): the right verifier fails and names the operations involved.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChaos } from '../../src/chaos/run-chaos.ts';
import type { ScenarioResult } from '../../src/chaos/run-scenario.ts';

async function baselineWith(brokenBy: string, readRate = 8): Promise<ScenarioResult> {
  const run = await runChaos({
    scenarios: ['baseline'],
    // Many keys: a dropped write is rarely overwritten before the end, so some stay visible.
    workload: { tenants: 3, writers: 2, readers: 2, writeRate: 8, readRate, overlap: 0.1, keys: 300 },
    durationMs: 3_000,
    instances: 2,
    parallel: 1,
    out: mkdtempSync(join(tmpdir(), 'osproxy-chaos-broken-')),
    sweep: [],
    threshold: 0.01,
    progress: false,
    proxyEnv: { OSPROXY_TEST_BREAK: brokenBy },
  });
  return run.results[0];
}

describe('the chaos verifiers catch a broken proxy', () => {
  it('drops every 10th acknowledged bulk item: acknowledged-writes fails, naming the bulk operations', async () => {
    // A dropped item leaves its key missing, or holding the value it had before.
    const r = await baselineWith('drop-bulk-item');
    const lost = r.anomalies['acknowledged-writes'];
    assert.ok(lost.length > 0, 'the lost writes are caught');
    assert.ok(lost.every((a) => a.ops.length > 0 && /is missing; acknowledged #\d+|overtaken by acknowledged #\d+/.test(a.message)), lost.map((a) => a.message).join('\n'));
    assert.deepEqual(r.anomalies.isolation, []);
    assert.equal(r.pass, false);
  });

  it('skips the tenant filter on one search in 4: isolation fails, naming the searches', async () => {
    // Many searches (~100 on an idle machine, a third of the reads): each instance leaves out the filter on every 4th.
    const r = await baselineWith('skip-tenant-filter', 20);
    const leaks = r.anomalies.isolation;
    assert.ok(leaks.length > 0, 'the cross-tenant reads are caught');
    assert.ok(leaks.some((a) => a.ops.length === 1 && /^search #\d+ by tenant t\d saw k\d+=t\d\/\S+ of tenant t\d/.test(a.message)), leaks.map((a) => a.message).slice(0, 5).join('\n'));
    assert.deepEqual(r.anomalies['acknowledged-writes'].filter((a) => a.ops.length > 0 && !a.message.includes('which no write')), []);
    assert.equal(r.pass, false);
  });
});
