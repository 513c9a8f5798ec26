import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExplainRing, type ExplainDraft } from '../../src/observe/explain.ts';

const draft = (id: string, status: number): ExplainDraft => ({ request_id: id, method: 'GET', rewrites: [], timings_ms: {}, status });

test('the explain ring answers the newest record of an id, with its arrival time, until it is overwritten', () => {
  const ring = new ExplainRing(3);
  const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  ring.add(draft('a', 200), at);
  ring.add(draft('b', 201), at + 1);
  ring.add(draft('a', 404), at + 2);
  const a = ring.get('a');
  assert.equal(a?.status, 404, 'a repeated x-request-id: the newest');
  assert.equal(a?.at, '2026-01-02T03:04:05.680Z');
  assert.deepEqual(Object.keys(a ?? {}).slice(0, 3), ['request_id', 'at', 'method'], 'served in the order it always was');
  assert.equal(ring.get('b')?.status, 201);
  ring.add(draft('c', 200), at + 3); // overwrites the first a
  ring.add(draft('d', 200), at + 4); // overwrites b
  assert.equal(ring.get('b'), undefined);
  assert.equal(ring.get('a')?.status, 404);
  assert.equal(ring.get('nope'), undefined);
  assert.equal(new ExplainRing(4).get('x'), undefined, 'an empty ring');
});
