/**
 * TEST ONLY — deliberate bugs, so that the chaos harness's verifiers can be shown to catch a broken
 * proxy (test/chaos/chaos-run-broken-proxy.test.ts). Honoured only when the environment variable
 * `OSPROXY_TEST_BREAK` is set explicitly to one of the kinds below; never set it in production.
 *
 * - `drop-bulk-item`: every 10th `_bulk` index item is acknowledged (201) but never written.
 * - `skip-tenant-filter`: every 4th search goes out without the tenant filter, and the hit-side
 *   check (the defence in depth behind it) is off, so the other tenants' hits reach the client.
 */
export type TestBreak = 'drop-bulk-item' | 'skip-tenant-filter';

const MODE = process.env.OSPROXY_TEST_BREAK;
const counts = new Map<TestBreak, number>();

/**
 * How often each kind breaks. Searches break more often than bulk items: a short run on a loaded
 * machine makes only a few dozen searches, and each leak must be seen to be caught.
 */
const EVERY: Record<TestBreak, number> = { 'drop-bulk-item': 10, 'skip-tenant-filter': 4 };

/** True on every Nth call for the kind switched on (always false when the switch is unset). */
export function testBreak(kind: TestBreak): boolean {
  if (MODE !== kind) return false;
  const n = (counts.get(kind) ?? 0) + 1;
  counts.set(kind, n);
  return n % EVERY[kind] === 0;
}

/** True whenever the kind is switched on (always false when the switch is unset). */
export function testBreakOn(kind: TestBreak): boolean {
  return MODE === kind;
}
