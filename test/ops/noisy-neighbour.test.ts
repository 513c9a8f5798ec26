/**
 * The noisy-neighbour proof of shared placement (issue 11): tenant A fills its `orders` with dates,
 * objects, numbers, conflicting explicit mappings and a thousand new field names; tenant B then
 * runs a fixed script on its own `orders`. B's answers equal those of the same script against a
 * fresh plain index on a cluster of its own, and name none of A's fields or types.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { call, type HttpResult } from '../helpers/http.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

type Step = [method: string, path: string, body?: unknown];

const A_FIELDS = Array.from({ length: 1000 }, (_, i) => `anoise_${i}`);

/** A's noise: every way one tenant's mapping could once break or inform another's. */
function noiseOfA(): Step[] {
  const wide = Array.from({ length: 10 }, (_, d) => Object.fromEntries(A_FIELDS.slice(d * 100, d * 100 + 100).map((f, i) => [f, i % 2 === 0 ? i : `v${i}`])));
  return [
    ['PUT', '/orders', { mappings: { properties: { title: { type: 'keyword' }, year: { type: 'long' }, price: { type: 'keyword' } } } }],
    ['PUT', '/orders/_doc/a1?refresh=true', { when: '2026-01-01', obj: { x: 1 }, year: 2026, price: 'cheap', title: 'A-TITLE' }],
    ['PUT', '/orders/_mapping', { properties: { status: { type: 'integer' }, meta: { properties: { a: { type: 'date' } } } } }],
    ['POST', '/_bulk?refresh=true', wide.flatMap((doc, i) => [{ index: { _index: 'orders', _id: `wide-${i}` } }, doc])],
    ['PUT', '/orders/_doc/a2?refresh=true', { tags: 17, ratio: 0.5, flag: true, location: '2026-02-02T10:00:00Z' }],
  ];
}

/** B's fixed script: creates, mapping puts, writes, searches, sorts, aggregations, errors. */
function scriptOfB(): Step[] {
  const search = (body: unknown): Step => ['POST', '/orders/_search', body];
  return [
    ['PUT', '/orders', { mappings: { properties: { year: { type: 'keyword' }, title: { type: 'text', fields: { raw: { type: 'keyword' } } } } } }],
    ['PUT', '/orders/_mapping', { properties: { obj: { type: 'keyword' }, status: { type: 'keyword' } } }],
    ['GET', '/orders/_mapping'],
    ['PUT', '/orders/_doc/1?refresh=true', { when: 'soon', obj: 'flat', year: '2026', title: 'red apple', price: 3 }],
    ['PUT', '/orders/_doc/2?refresh=true', { when: 'later', obj: 'round', year: '1999', title: 'green apple pie', price: 7, tags: ['x', 'y'] }],
    ['POST', '/_bulk?refresh=true', [
      { index: { _index: 'orders', _id: '3' } }, { title: 'blue pear', price: 5, status: 'open', meta: { a: 'not a date' } },
      { create: { _index: 'orders', _id: '4' } }, { title: 'apple tart', price: 9, status: 'closed', ratio: 'high' },
      { update: { _index: 'orders', _id: '1' } }, { doc: { status: 'open' } },
      { index: { _index: 'orders', _id: '5' } }, { price: 'not a number' },
      { delete: { _index: 'orders', _id: '9' } },
      { index: { _index: 'orders', _id: '6' } }, { location: 'home', flag: 'maybe', title: 'plum' },
    ]],
    ['PUT', '/orders/_doc/7?refresh=true', { price: 'dear' }],
    ['GET', '/orders/_doc/1'],
    ['POST', '/_mget', { docs: [{ _index: 'orders', _id: '2' }, { _index: 'orders', _id: 'a1' }, { _index: 'orders', _id: '3' }] }],
    ['GET', '/orders/_mapping'],
    ['GET', '/orders/_count'],
    search({ query: { match: { title: 'apple' } }, sort: [{ price: 'desc' }, { _id: 'asc' }] }),
    search({ query: { term: { year: '2026' } } }),
    search({ query: { range: { price: { gte: 5 } } }, sort: ['_id'] }),
    search({ query: { term: { anoise_3: 3 } } }),
    search({ query: { exists: { field: 'anoise_4' } } }),
    search({ query: { match: { when: 'soon' } } }),
    search({ query: { term: { meta: 'x' } } }),
    search({ sort: [{ anoise_5: 'asc' }] }),
    search({ sort: [{ anoise_5: { order: 'asc', unmapped_type: 'long' } }, '_id'] }),
    search({ size: 0, aggs: { o: { terms: { field: 'obj' } }, p: { sum: { field: 'price' } }, s: { terms: { field: 'status' } }, y: { terms: { field: 'year' } } } }),
    search({ size: 0, aggs: { c: { cardinality: { field: 'title.raw' } }, m: { max: { field: 'price' } }, t: { terms: { field: 'tags.keyword' } } } }),
    search({ size: 0, aggs: { ids: { terms: { field: '_id', order: { _key: 'asc' } } } } }),
    search({ query: { term: { price: 'abc' } } }),
    search({ query: { query_string: { query: 'title:apple AND price:[6 TO *]' } }, sort: ['_id'] }),
    search({ sort: [{ title: 'asc' }] }),
    search({ _source: ['title', 'anoise_*'], docvalue_fields: ['*'], fields: ['*'], sort: ['_id'] }),
    search({ size: 2, sort: [{ price: 'asc' }, { _id: 'asc' }], search_after: [5, '3'] }),
    search({ collapse: { field: 'status' }, sort: ['_id'] }),
    ['GET', '/orders/_search?q=apple&sort=price:desc'],
    ['DELETE', '/orders'],
    ['PUT', '/orders', { mappings: { properties: { title: { type: 'keyword' }, year: { type: 'long' } } } }],
    ['PUT', '/orders/_doc/r1?refresh=true', { title: 'zeta', year: 12 }],
    ['PUT', '/orders/_doc/r2?refresh=true', { title: 'alpha', year: 'x' }],
    search({ sort: [{ title: 'asc' }] }),
    ['GET', '/orders/_mapping'],
  ];
}

/** Response fields that differ between any two runs, or name the physical layout (never shown to a tenant). */
const VOLATILE = new Set(['took', 'index_uuid', 'shard', '_seq_no', '_primary_term', '_score', 'max_score', '_shards', 'osproxy', 'settings', 'uuid', 'creation_date']);

/** osproxy never relays document values in errors (SPEC §4.7): a value preview is compared redacted. */
const redacted = (s: string): string => s.replace(/Preview of field's value: '[\s\S]*'/, "Preview of field's value: [redacted]");

function normalized(node: unknown): unknown {
  if (typeof node === 'string') return redacted(node);
  if (Array.isArray(node)) return node.map(normalized);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (!VOLATILE.has(k)) out[k] = normalized(v);
  return out;
}

/** A response as compared: status and normalized body (an error by its status, type and reason). */
function comparable(res: HttpResult): unknown {
  const body = res.body as { error?: { type: string; reason: string } } | undefined;
  if (res.status >= 400 && typeof body?.error === 'object') return { status: res.status, type: body.error.type, reason: redacted(body.error.reason) };
  return { status: res.status, body: normalized(res.body) };
}

/** The first path where two JSON values differ (for a readable failure). */
function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return a === b ? undefined : `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array ≠ object`;
  // Key order is not part of a JSON answer; array order is.
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

async function run(base: string, steps: Step[], headers: Record<string, string> = {}): Promise<HttpResult[]> {
  const out: HttpResult[] = [];
  for (const [method, path, body] of steps) out.push(await call(base, method, path, body, { headers, ndjson: Array.isArray(body) }));
  return out;
}

describe('noisy neighbour: A’s mappings and fields never change B’s answers (shared placement)', () => {
  let stack: Stack;
  let plain: RunningEngine;
  let throughProxy: HttpResult[];
  let direct: HttpResult[];

  before(async () => {
    stack = await startStack({ extra: { tenancy: { field_quota_per_index: 2000 } } });
    plain = await startEngine({ port: 0 });
    const noise = await run(stack.url, noiseOfA(), stack.auth.acme);
    for (const [i, res] of noise.entries()) assert.ok(res.status < 300 && !(res.body as { errors?: boolean }).errors, `A's step ${i}: ${res.status} ${res.text.slice(0, 300)}`);
    throughProxy = await run(stack.url, scriptOfB(), stack.auth.globex);
    direct = await run(plain.url, scriptOfB());
  });
  after(async () => {
    await stack.close();
    await plain.close();
  });

  it('B’s script answers as against a fresh index of its own, step by step', (t) => {
    const steps = scriptOfB();
    t.diagnostic(`statuses: ${direct.map((r) => r.status).join(' ')}`);
    // The script is a proof only if it exercises answers and errors alike.
    assert.ok(direct.filter((r) => r.status >= 400).length >= 3 && direct.filter((r) => r.text.includes('"hits":[{')).length >= 8);
    for (let i = 0; i < steps.length; i++) {
      const [p, d] = [comparable(throughProxy[i]), comparable(direct[i])];
      assert.ok(firstDifference(p, d) === undefined, `step ${i} ${steps[i][0]} ${steps[i][1]}: ${firstDifference(p, d)}`);
    }
  });

  it('B’s answers name none of A’s fields nor A’s types for the names they share', () => {
    for (const res of throughProxy) {
      assert.doesNotMatch(res.text, /anoise_\d+"?:|__osx_|osproxy-shared|acme/, res.text.slice(0, 300));
      assert.doesNotMatch(res.text, /A-TITLE|cheap/);
    }
    const mapping = throughProxy[9].body as Record<string, { mappings: { properties: Record<string, { type?: string }> } }>;
    const props = mapping.orders.mappings.properties;
    assert.equal(props.when.type, 'text', 'A mapped `when` as a date');
    assert.equal(props.obj.type, 'keyword', 'A mapped `obj` as an object');
    assert.equal(props.year.type, 'keyword', 'A mapped `year` as long');
    assert.equal(props.anoise_1, undefined);
  });

  it('A still sees its own mapping and documents, untouched by B', async () => {
    const mapping = await call<Record<string, { mappings: { properties: Record<string, { type?: string }> } }>>(stack.url, 'GET', '/orders/_mapping', undefined, { headers: stack.auth.acme });
    const props = mapping.body.orders.mappings.properties;
    assert.equal(props.when.type, 'date');
    assert.equal(props.year.type, 'long');
    assert.equal(props.title.type, 'keyword');
    assert.equal(Object.keys(props).filter((k) => k.startsWith('anoise_')).length, 1000);
    const count = await call<{ count: number }>(stack.url, 'GET', '/orders/_count', undefined, { headers: stack.auth.acme });
    assert.equal(count.body.count, 12);
  });
});
