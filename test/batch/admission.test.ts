import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { Admission, rejectionError, shareSlots, type Rejection, type Ticket } from '../../src/batch/admission.ts';
import { AdmissionSchema, type AdmissionConfig } from '../../src/config/admission-schema.ts';
import { TenantLabels } from '../../src/batch/tenant-labels.ts';
import { retryAfterSeconds, TokenBucket } from '../../src/batch/token-bucket.ts';
import { parseConfig } from '../../src/config/load.ts';

function admission(cfg: Record<string, unknown>, clock = { t: 0 }, registry?: Registry): Admission {
  return new Admission(AdmissionSchema.parse(cfg) as AdmissionConfig, { now: () => clock.t, registry, tenantLabelLimit: 2 });
}

function admit(a: Admission, tenant: string, batch = false): Ticket {
  const r = a.tryAdmit(tenant, batch);
  assert.equal(r.admitted, true, `expected ${tenant} to be admitted, got ${JSON.stringify(r)}`);
  return r as Ticket;
}

function refused(a: Admission, tenant: string, batch = false): Rejection {
  const r = a.tryAdmit(tenant, batch);
  assert.equal(r.admitted, false, `expected ${tenant} to be rejected`);
  return r as Rejection;
}

describe('token bucket', () => {
  it('starts full, refills at its rate, never above the burst', () => {
    const b = new TokenBucket(10, 3, 0);
    assert.ok(b.tryTake(0) && b.tryTake(0) && b.tryTake(0));
    assert.equal(b.tryTake(0), false);
    assert.equal(b.waitMs(0), 100);
    assert.equal(b.tryTake(50), false);
    assert.equal(b.waitMs(50), 50);
    assert.equal(b.tryTake(100), true);
    assert.equal(b.isFull(10_000), true);
    assert.ok(b.tryTake(10_000) && b.tryTake(10_000) && b.tryTake(10_000));
    assert.equal(b.tryTake(10_000), false);
  });

  it('Retry-After is the time until the next token, in whole seconds (at least 1)', () => {
    assert.equal(retryAfterSeconds(1), 1);
    assert.equal(retryAfterSeconds(1000), 1);
    assert.equal(retryAfterSeconds(1001), 2);
    const clock = { t: 0 };
    const a = admission({ rate_per_sec: 0.25, burst: 1 }, clock);
    admit(a, 'acme').release();
    const r = refused(a, 'acme');
    assert.deepEqual([r.reason, r.retryAfter], ['tenant_rate_limited', 4]);
    clock.t = 1_500;
    assert.equal(refused(a, 'acme').retryAfter, 3);
    clock.t = 4_000;
    admit(a, 'acme').release();
  });

  it('per-tenant overrides replace the default rate', () => {
    const a = admission({ rate_per_sec: 0, tenants: { acme: { rate_per_sec: 1, burst: 2 } } });
    admit(a, 'acme');
    admit(a, 'acme');
    assert.equal(refused(a, 'acme').reason, 'tenant_rate_limited');
    for (let i = 0; i < 10; i++) admit(a, 'globex').release();
  });
});

describe('admission budgets', () => {
  it('share arithmetic: a percentage of the budget, at least one slot, at most the budget', () => {
    assert.equal(shareSlots(512, 25), 128);
    assert.equal(shareSlots(16, 50), 8);
    assert.equal(shareSlots(10, 25), 2);
    assert.equal(shareSlots(3, 10), 1);
    assert.equal(shareSlots(1, 1), 1);
    assert.equal(shareSlots(4, 100), 4);
    const a = admission({ max_concurrent: 16, max_concurrent_batch: 4, tenant_share_percent: 50, tenants: { big: { share_percent: 100 } } });
    assert.equal(a.tenantLimit('acme', 'global'), 8);
    assert.equal(a.tenantLimit('acme', 'batch'), 2);
    assert.equal(a.tenantLimit('big', 'global'), 16);
  });

  it('a tenant cannot exceed its share; the global budget caps everyone', () => {
    const a = admission({ max_concurrent: 4, tenant_share_percent: 50 });
    const held = [admit(a, 'acme'), admit(a, 'acme')];
    assert.equal(refused(a, 'acme').reason, 'tenant_concurrency_exceeded');
    held.push(admit(a, 'globex'), admit(a, 'globex'));
    assert.deepEqual(refused(a, 'initech'), { admitted: false, reason: 'proxy_overloaded', retryAfter: 1 });
    held[0].release();
    admit(a, 'initech');
  });

  it('releasing a ticket twice frees one slot only', () => {
    const a = admission({ max_concurrent: 2, tenant_share_percent: 100 });
    const t1 = admit(a, 'acme');
    admit(a, 'acme');
    t1.release();
    t1.release();
    t1.release();
    assert.equal(a.inUse('global'), 1);
    admit(a, 'acme');
    assert.equal(refused(a, 'acme').reason, 'tenant_concurrency_exceeded');
  });

  it('the batch budget is separate from the global one, and batch work counts against both', () => {
    const a = admission({ max_concurrent: 6, max_concurrent_batch: 2, tenant_share_percent: 100 });
    const b1 = admit(a, 'acme', true);
    admit(a, 'globex', true);
    assert.deepEqual([a.inUse('batch'), a.inUse('global')], [2, 2]);
    assert.equal(refused(a, 'initech', true).reason, 'proxy_overloaded');
    // Non-batch requests still fit in the global budget ...
    for (let i = 0; i < 4; i++) admit(a, 'initech');
    // ... until it is full, which refuses batch work too.
    b1.release();
    admit(a, 'initech');
    assert.deepEqual([a.inUse('batch'), a.inUse('global')], [1, 6]);
    assert.equal(refused(a, 'acme', true).reason, 'proxy_overloaded');
  });

  it('per-tenant share of the batch budget', () => {
    const a = admission({ max_concurrent: 100, max_concurrent_batch: 4, tenant_share_percent: 50 });
    admit(a, 'acme', true);
    admit(a, 'acme', true);
    assert.equal(refused(a, 'acme', true).reason, 'tenant_concurrency_exceeded');
    admit(a, 'acme');
    admit(a, 'globex', true);
  });

  it('forgets idle tenants', () => {
    const a = admission({ max_concurrent: 10 });
    for (let i = 0; i < 100; i++) admit(a, `t${i}`).release();
    assert.equal(a.trackedTenants, 0);
  });

  it('a rejection becomes a 429 rejected_execution_exception with Retry-After', () => {
    const e = rejectionError({ admitted: false, reason: 'tenant_rate_limited', retryAfter: 3 });
    assert.deepEqual([e.status, e.type, e.code, e.retryable, e.headers['retry-after']], [429, 'rejected_execution_exception', 'tenant_rate_limited', true, '3']);
  });
});

describe('admission metrics', () => {
  it('counts admissions and rejections with bounded tenant labels, and gauges budget use', async () => {
    const registry = new Registry();
    const a = admission({ max_concurrent: 10, max_concurrent_batch: 2, tenant_share_percent: 10 }, { t: 0 }, registry);
    admit(a, 't1');
    admit(a, 't2', true);
    admit(a, 't3');
    admit(a, 't4');
    refused(a, 't4');
    const text = await registry.metrics();
    assert.match(text, /osproxy_admission_admitted_total\{tenant="t1",kind="standard"\} 1/);
    assert.match(text, /osproxy_admission_admitted_total\{tenant="t2",kind="batch"\} 1/);
    assert.match(text, /osproxy_admission_admitted_total\{tenant="other",kind="standard"\} 2/);
    assert.match(text, /osproxy_admission_rejected_total\{tenant="other",kind="standard",reason="tenant_concurrency_exceeded"\} 1/);
    assert.doesNotMatch(text, /tenant="t3"|tenant="t4"/);
    assert.match(text, /osproxy_admission_in_use\{budget="global"\} 4/);
    assert.match(text, /osproxy_admission_in_use\{budget="batch"\} 1/);
  });

  it('tenant labels: the first N distinct tenants keep theirs', () => {
    const l = new TenantLabels(2);
    assert.deepEqual(['a', 'b', 'c', 'a', 'd', 'b'].map((t) => l.of(t)), ['a', 'b', 'other', 'a', 'other', 'b']);
  });
});

describe('admission config', () => {
  it('has the documented defaults and accepts per-tenant overrides', () => {
    const base = { clusters: { default: { url: 'http://127.0.0.1:9200' } } };
    const c = parseConfig(base);
    assert.deepEqual(c.admission, { max_concurrent: 512, max_concurrent_batch: 64, tenant_share_percent: 25, rate_per_sec: 0, tenants: {} });
    assert.equal(c.metrics.tenant_label_limit, 50);
    const o = parseConfig({ ...base, admission: { max_concurrent: 16, tenants: { acme: { rate_per_sec: 5, burst: 2 } } } });
    assert.deepEqual(o.admission.tenants.acme, { rate_per_sec: 5, burst: 2 });
    assert.throws(() => parseConfig({ ...base, admission: { max_concurrent: 0 } }));
    assert.throws(() => parseConfig({ ...base, admission: { bogus: 1 } }));
  });
});
