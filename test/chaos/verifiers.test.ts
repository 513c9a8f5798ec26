/**
 * The chaos verifiers are themselves tested: a clean history passes every one, and a history with
 * one planted anomaly of each kind is caught by the right verifier, naming the operations involved.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FinalDoc, History, MigrationRecord, OpRecord, VerifierName } from '../../src/chaos/history.ts';
import { verifyHistory } from '../../src/chaos/verify/verify.ts';

let seq = 0;
const op = (o: Partial<OpRecord> & Pick<OpRecord, 'kind' | 'start' | 'end'>): OpRecord => ({ seq: ++seq, session: 'w0', tenant: 'a', status: 200, attempts: 1, outcome: 'ok', ...o });
const put = (key: string, value: string, start: number, end: number, extra: Partial<OpRecord> = {}): OpRecord => op({ kind: 'index', start, end, writes: [{ key, value, outcome: 'ok' }], ...extra });
const del = (key: string, start: number, end: number): OpRecord => op({ kind: 'delete', start, end, writes: [{ key, value: null, outcome: 'ok' }] });
const get = (session: string, key: string, value: string | null, start: number, tenant = 'a'): OpRecord => op({ kind: 'get', session, tenant, start, end: start + 1, realtime: true, reads: [{ key, value, tenant: value === null ? undefined : value.split('/')[0] }] });

/** Two tenants with the same keys; a's k1 overwritten, k2 deleted, k3 written by a bulk; b's k1 once. */
function clean(): { ops: OpRecord[]; final: Map<string, FinalDoc[]>; migrations: MigrationRecord[] } {
  seq = 0;
  const ops = [
    put('k1', 'a/w0/1', 0, 10),
    put('k1', 'a/w0/2', 20, 30),
    put('k2', 'a/w0/3', 0, 5),
    del('k2', 40, 50),
    op({ kind: 'bulk', start: 60, end: 70, writes: [{ key: 'k3', value: 'a/w0/4', outcome: 'ok' }, { key: 'k4', value: 'a/w0/5', outcome: 'failed' }] }),
    put('k1', 'b/w1/1', 0, 10, { tenant: 'b', session: 'w1' }),
    // Concurrent writes of one key: either may win.
    put('k5', 'a/w0/6', 100, 120),
    put('k5', 'a/w2/1', 105, 115, { session: 'w2' }),
    // No answer: it may have happened late, whatever came after.
    put('k6', 'a/w0/7', 130, 140, { outcome: 'unknown', status: 0, writes: [{ key: 'k6', value: 'a/w0/7', outcome: 'unknown' }] }),
    put('k6', 'a/w0/8', 150, 160),
    get('r0', 'k1', 'a/w0/1', 12),
    get('r0', 'k1', 'a/w0/2', 35),
    op({ kind: 'search', session: 'r0', start: 80, end: 81, reads: [{ key: 'k1', value: 'a/w0/2', tenant: 'a' }, { key: 'k3', value: 'a/w0/4', tenant: 'a' }] }),
  ];
  const final = new Map<string, FinalDoc[]>([
    ['a', [{ key: 'k1', value: 'a/w0/2', tenant: 'a' }, { key: 'k3', value: 'a/w0/4', tenant: 'a' }, { key: 'k5', value: 'a/w0/6', tenant: 'a' }, { key: 'k6', value: 'a/w0/7', tenant: 'a' }]],
    ['b', [{ key: 'k1', value: 'b/w1/1', tenant: 'b' }]],
  ]);
  const migrations: MigrationRecord[] = [{ tenant: 'a', index: 'orders', from: 'shared', to: 'index', state: 'complete', fenceEpoch: 3, sourceHighestStamp: 2 }];
  return { ops, final, migrations };
}

function failing(h: History): Partial<Record<VerifierName, number[][]>> {
  const out: Partial<Record<VerifierName, number[][]>> = {};
  for (const [name, anomalies] of Object.entries(verifyHistory(h))) if (anomalies.length > 0) out[name as VerifierName] = anomalies.map((a) => a.ops);
  return out;
}

const finalOf = (h: History, tenant: string): FinalDoc[] => h.final.get(tenant) as FinalDoc[];

describe('chaos verifiers', () => {
  it('pass a clean history (overwrites, deletes, concurrent and unanswered writes)', () => {
    assert.deepEqual(failing(clean()), {});
  });

  it('catch a cross-tenant read in a response and in the final read', () => {
    const h = clean();
    h.ops.push(op({ kind: 'search', session: 'r0', start: 90, end: 91, reads: [{ key: 'k1', value: 'b/w1/1', tenant: 'b' }] }));
    assert.deepEqual(failing(h), { isolation: [[seq]] });
    const h2 = clean();
    finalOf(h2, 'a').push({ key: 'k9', value: 'b/w1/1', tenant: 'b' });
    assert.deepEqual(Object.keys(failing(h2)).sort(), ['acknowledged-writes', 'isolation']);
  });

  it('catch a lost acknowledged write, naming it', () => {
    const h = clean();
    h.final.set('a', finalOf(h, 'a').filter((d) => d.key !== 'k3'));
    assert.deepEqual(failing(h), { 'acknowledged-writes': [[5]] });
  });

  it('catch a value that contradicts the acknowledged order (an older write wins)', () => {
    const h = clean();
    finalOf(h, 'a')[0] = { key: 'k1', value: 'a/w0/1', tenant: 'a' };
    assert.deepEqual(failing(h), { 'acknowledged-writes': [[1, 2]] });
  });

  it('catch a resurrected acknowledged delete', () => {
    const h = clean();
    finalOf(h, 'a').push({ key: 'k2', value: 'a/w0/3', tenant: 'a' });
    assert.deepEqual(failing(h), { 'no-resurrection': [[3, 4]] });
  });

  it('catch a session reading an older version after a newer one', () => {
    const h = clean();
    h.ops.push(get('r0', 'k1', 'a/w0/1', 200));
    assert.deepEqual(failing(h), { 'monotonic-reads': [[12, seq, 1, 2]] });
  });

  it('catch a duplicate document in a search and in the final read', () => {
    const h = clean();
    h.ops.push(op({ kind: 'search', session: 'r0', start: 90, end: 91, reads: [{ key: 'k1', value: 'a/w0/2', tenant: 'a' }, { key: 'k1', value: 'a/w0/2', tenant: 'a' }] }));
    assert.deepEqual(failing(h), { 'no-duplicates': [[seq]] });
    const h2 = clean();
    finalOf(h2, 'b').push({ key: 'k1', value: 'b/w1/1', tenant: 'b' });
    assert.deepEqual(failing(h2), { 'no-duplicates': [[]] });
  });

  it('catch a migration that did not complete, and a source written after its fence', () => {
    const h = clean();
    h.migrations.push({ tenant: 'a', index: 'orders', from: 'index', to: 'shared', state: 'failed', fenceEpoch: 5, sourceHighestStamp: 5 });
    const v = verifyHistory(h).migration.map((a) => a.message);
    assert.equal(v.length, 2, v.join('\n'));
    assert.match(v[0], /ended failed/);
    assert.match(v[1], /at epoch 5, at or after its fence at 5/);
  });

  it('catch a refused write whose value appears', () => {
    const h = clean();
    finalOf(h, 'a').push({ key: 'k4', value: 'a/w0/5', tenant: 'a' });
    assert.deepEqual(failing(h), { 'acknowledged-writes': [[5]] });
  });
});
