import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

// The composite aggregation over HTTP, checked against buckets computed here from the indexed documents.

type Key = Record<string, Scalar>;
type Scalar = string | number | boolean | null;
interface Bucket {
  key: Key;
  doc_count: number;
  [sub: string]: unknown;
}
interface Composite {
  after_key?: Key;
  buckets: Bucket[];
}
interface ErrorBody {
  error: { type: string; reason: string; root_cause: { type: string; reason: string }[]; caused_by?: Cause };
  status: number;
}
interface Cause {
  type: string;
  reason: string;
  caused_by?: Cause;
}
interface Doc {
  id: string;
  color?: string | string[];
  size?: number | number[];
  price?: number;
  ts?: string;
  flag?: boolean;
}

const COLORS = ['red', 'green', 'blue', 'black'];

/** 30 documents: some multi-valued (one with a repeated value), some missing a field; ids sort differently as strings and numbers. */
function makeDocs(): Doc[] {
  const docs: Doc[] = [];
  for (let i = 0; i < 30; i++) {
    const doc: Doc = { id: `id-${i}` };
    if (i % 7 !== 0) doc.color = i % 5 === 0 ? [COLORS[i % 4], COLORS[(i + 1) % 4]] : COLORS[i % 4];
    doc.size = i % 6 === 0 || i % 10 === 0 ? [i % 3, (i % 3) + 1, i % 3] : i % 4;
    if (i % 9 !== 4) doc.price = (i * 7.5) % 50;
    doc.ts = new Date(Date.UTC(2024, i % 5, 1 + ((i * 3) % 27), (i * 5) % 24, 30)).toISOString();
    if (i % 3 !== 0) doc.flag = i % 2 === 0;
    docs.push(doc);
  }
  return docs;
}

const DOCS = makeDocs();
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const byId = (id: string): Doc => DOCS.find((d) => d.id === id) as Doc;

/** A source as this test computes it: the document's values for it, and its ordering options. */
interface ExpectedSource {
  name: string;
  values(d: Doc): Scalar[];
  desc?: boolean;
  missingBucket?: boolean;
  missingOrder?: 'first' | 'last';
}

function compareScalar(a: Scalar, b: Scalar): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

function comparePart(a: Scalar, b: Scalar, s: ExpectedSource): number {
  if (a === null && b === null) return 0;
  if (a === null || b === null) {
    const nullsFirst = s.missingOrder === undefined ? !s.desc : s.missingOrder === 'first';
    return (a === null) === nullsFirst ? -1 : 1;
  }
  return s.desc ? -compareScalar(a, b) : compareScalar(a, b);
}

/** Every composite bucket of `docs`, in order: each combination of one value per source, documents counted once. */
function expectedBuckets(docs: Doc[], sources: ExpectedSource[]): { key: Key; doc_count: number; ids: string[] }[] {
  const found = new Map<string, { parts: Scalar[]; ids: string[] }>();
  for (const d of docs) {
    let combos: Scalar[][] = [[]];
    for (const s of sources) {
      let values = [...new Set(s.values(d))];
      if (values.length === 0) values = s.missingBucket ? [null] : [];
      combos = combos.flatMap((c) => values.map((v) => [...c, v]));
    }
    for (const parts of combos) {
      const id = JSON.stringify(parts);
      const entry = found.get(id) ?? { parts, ids: [] };
      entry.ids.push(d.id);
      found.set(id, entry);
    }
  }
  const sorted = [...found.values()].sort((x, y) => {
    for (let i = 0; i < sources.length; i++) {
      const c = comparePart(x.parts[i], y.parts[i], sources[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return sorted.map((e) => ({ key: Object.fromEntries(sources.map((s, i) => [s.name, e.parts[i]])), doc_count: e.ids.length, ids: e.ids }));
}

const colorSource: ExpectedSource = { name: 'color', values: (d) => list(d.color) };
const sizeSource: ExpectedSource = { name: 'size', values: (d) => list(d.size) };
const pad = (n: number): string => String(n).padStart(2, '0');

describe('composite aggregation', () => {
  let engine: RunningEngine;
  const search = (body: unknown) => call<{ aggregations: Record<string, Composite> } & ErrorBody>(engine.url, 'POST', '/shop/_search', body);
  const composite = async (body: unknown, query?: unknown): Promise<Composite> => {
    const res = await search({ size: 0, ...(query === undefined ? {} : { query }), aggs: { c: { composite: body } } });
    assert.equal(res.status, 200, res.text);
    return res.body.aggregations.c;
  };
  const failure = async (aggs: unknown): Promise<ErrorBody> => {
    const res = await search({ size: 0, aggs });
    assert.notEqual(res.status, 200, res.text);
    assert.equal(res.body.status, res.status);
    return res.body;
  };

  /** Follows after_key from the first page to the empty one, checking each page's shape. */
  async function allPages(body: Record<string, unknown>, size: number): Promise<{ buckets: Bucket[]; pages: number }> {
    const buckets: Bucket[] = [];
    let afterKey: Key | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await composite({ ...body, size, ...(afterKey === undefined ? {} : { after: afterKey }) });
      if (page.buckets.length === 0) {
        assert.equal(page.after_key, undefined, 'no after_key without buckets');
        return { buckets, pages };
      }
      assert.ok(page.buckets.length <= size);
      assert.deepEqual(Object.keys(page), ['after_key', 'buckets']);
      assert.deepEqual(page.after_key, page.buckets[page.buckets.length - 1].key);
      buckets.push(...page.buckets);
      afterKey = page.after_key;
    }
    throw new Error('paging did not end');
  }

  before(async () => {
    engine = await startEngine({ port: 0 });
    const created = await call(engine.url, 'PUT', '/shop', {
      settings: { number_of_shards: 2 },
      mappings: { properties: { color: { type: 'keyword' }, size: { type: 'integer' }, price: { type: 'double' }, ts: { type: 'date' }, flag: { type: 'boolean' } } },
    });
    assert.equal(created.status, 200, created.text);
    const lines = DOCS.flatMap(({ id, ...source }) => [{ index: { _id: id } }, source]);
    const bulk = await call<{ errors: boolean }>(engine.url, 'POST', '/shop/_bulk?refresh=true', lines, { ndjson: true });
    assert.equal(bulk.body.errors, false, bulk.text);
  });
  after(() => engine.close());

  it('pages through every combination exactly once, in order, with after_key', async () => {
    const expected = expectedBuckets(DOCS, [colorSource, sizeSource]);
    const sources = [{ color: { terms: { field: 'color' } } }, { size: { terms: { field: 'size' } } }];
    const { buckets, pages } = await allPages({ sources }, 4);
    assert.deepEqual(buckets, expected.map(({ key, doc_count }) => ({ key, doc_count })));
    assert.equal(pages, Math.ceil(expected.length / 4));
    assert.equal(new Set(buckets.map((b) => JSON.stringify(b.key))).size, buckets.length);
    // The default size is 10; the first page is the first ten buckets.
    const first = await composite({ sources });
    assert.deepEqual(first.buckets.map((b) => b.key), expected.slice(0, 10).map((b) => b.key));
  });

  it('resumes strictly after a key that no document has', async () => {
    const expected = expectedBuckets(DOCS, [colorSource, sizeSource]);
    const page = await composite({ sources: [{ color: { terms: { field: 'color' } } }, { size: { terms: { field: 'size' } } }], after: { color: 'blue', size: 99 }, size: 3 });
    const rest = expected.filter((b) => (b.key.color as string) > 'blue');
    assert.deepEqual(page.buckets.map((b) => b.key), rest.slice(0, 3).map((b) => b.key));
    // Numeric after values may come as strings, parsed like OpenSearch's formats do.
    const asString = await composite({ sources: [{ color: { terms: { field: 'color' } } }, { size: { terms: { field: 'size' } } }], after: { color: 'blue', size: '99' }, size: 3 });
    assert.deepEqual(asString.buckets, page.buckets);
  });

  it('aggregates on _id, ordered as strings', async () => {
    const ids = DOCS.map((d) => d.id).sort();
    const { buckets } = await allPages({ sources: [{ id: { terms: { field: '_id' } } }] }, 7);
    assert.deepEqual(buckets, ids.map((id) => ({ key: { id }, doc_count: 1 })));
    assert.notDeepEqual(ids, DOCS.map((d) => d.id), 'string order differs from indexing order');
    const desc = await composite({ sources: [{ id: { terms: { field: '_id', order: 'desc' } } }], size: 3, after: { id: 'id-5' } });
    assert.deepEqual(desc.buckets.map((b) => b.key.id), [...ids].reverse().filter((id) => id < 'id-5').slice(0, 3));
  });

  it('puts a multi-valued document in every combination of its values, once each', async () => {
    const doc = byId('id-10');
    assert.deepEqual([doc.color, doc.size], [['blue', 'black'], [1, 2, 1]]);
    const page = await composite({ sources: [{ color: { terms: { field: 'color' } } }, { size: { terms: { field: 'size' } } }] }, { ids: { values: ['id-10'] } });
    const expected = expectedBuckets([doc], [colorSource, sizeSource]);
    assert.equal(expected.length, list(doc.color).length * new Set(list(doc.size)).size);
    assert.deepEqual(page.buckets, expected.map(({ key, doc_count }) => ({ key, doc_count })));
    assert.ok(page.buckets.every((b) => b.doc_count === 1), 'a repeated value counts the document once');
  });

  it('missing_bucket: a null key, first ascending and last descending, and after: null resumes past it', async () => {
    const asc: ExpectedSource = { ...colorSource, missingBucket: true };
    const expectedAsc = expectedBuckets(DOCS, [asc]);
    const ascPage = await composite({ sources: [{ color: { terms: { field: 'color', missing_bucket: true } } }] });
    assert.deepEqual(ascPage.buckets, expectedAsc.map(({ key, doc_count }) => ({ key, doc_count })));
    assert.equal(ascPage.buckets[0].key.color, null);
    assert.equal(ascPage.buckets[0].doc_count, DOCS.filter((d) => d.color === undefined).length);

    const descPage = await composite({ sources: [{ color: { terms: { field: 'color', missing_bucket: true, order: 'desc' } } }] });
    assert.deepEqual(descPage.buckets, expectedBuckets(DOCS, [{ ...asc, desc: true }]).map(({ key, doc_count }) => ({ key, doc_count })));
    assert.equal(descPage.buckets[descPage.buckets.length - 1].key.color, null);

    const last = await composite({ sources: [{ color: { terms: { field: 'color', missing_bucket: true, missing_order: 'last' } } }] });
    assert.deepEqual(last.buckets.map((b) => b.key.color), expectedBuckets(DOCS, [{ ...asc, missingOrder: 'last' }]).map((b) => b.key.color));

    const twoSources = [{ ...asc }, { ...sizeSource }];
    const sources = [{ color: { terms: { field: 'color', missing_bucket: true } } }, { size: { terms: { field: 'size' } } }];
    const { buckets } = await allPages({ sources }, 2);
    assert.deepEqual(buckets, expectedBuckets(DOCS, twoSources).map(({ key, doc_count }) => ({ key, doc_count })));
    const afterNull = await composite({ sources, after: { color: null, size: 1 }, size: 2 });
    assert.deepEqual(afterNull.buckets.map((b) => b.key), buckets.filter((b) => b.key.color !== null || (b.key.size as number) > 1).slice(0, 2).map((b) => b.key));
  });

  it('orders each source on its own: desc then asc', async () => {
    const sources = [{ size: { terms: { field: 'size', order: 'desc' } } }, { color: { terms: { field: 'color', order: 'asc' } } }];
    const { buckets } = await allPages({ sources }, 5);
    assert.deepEqual(buckets, expectedBuckets(DOCS, [{ ...sizeSource, desc: true }, colorSource]).map(({ key, doc_count }) => ({ key, doc_count })));
  });

  it('boolean keys are true/false and after takes a boolean', async () => {
    const flag: ExpectedSource = { name: 'flag', values: (d) => list(d.flag) };
    const page = await composite({ sources: [{ flag: { terms: { field: 'flag' } } }] });
    assert.deepEqual(page.buckets, expectedBuckets(DOCS, [flag]).map(({ key, doc_count }) => ({ key, doc_count })));
    assert.deepEqual(page.buckets.map((b) => b.key.flag), [false, true]);
    const next = await composite({ sources: [{ flag: { terms: { field: 'flag' } } }], after: { flag: false } });
    assert.deepEqual(next.buckets.map((b) => b.key.flag), [true]);
  });

  it('histogram source: floor(value / interval) * interval keys', async () => {
    const hist: ExpectedSource = { name: 'p', values: (d) => list(d.price).map((p) => Math.floor(p / 10) * 10) };
    const { buckets } = await allPages({ sources: [{ p: { histogram: { field: 'price', interval: 10 } } }, { color: { terms: { field: 'color' } } }] }, 6);
    assert.deepEqual(buckets, expectedBuckets(DOCS, [hist, colorSource]).map(({ key, doc_count }) => ({ key, doc_count })));
    const fractional = await composite({ sources: [{ p: { histogram: { field: 'price', interval: 2.5, order: 'desc' } } }], size: 3 });
    const top = [...new Set(DOCS.flatMap((d) => list(d.price)).map((p) => Math.floor(p / 2.5) * 2.5))].sort((a, b) => b - a).slice(0, 3);
    assert.deepEqual(fractional.buckets.map((b) => b.key.p), top);
  });

  it('date_histogram source: epoch millis keys, or formatted with format; time_zone shifts the buckets', async () => {
    const month = (s: string): number => Date.UTC(new Date(s).getUTCFullYear(), new Date(s).getUTCMonth(), 1);
    const months: ExpectedSource = { name: 'm', values: (d) => list(d.ts).map(month) };
    const raw = await allPages({ sources: [{ m: { date_histogram: { field: 'ts', calendar_interval: 'month' } } }] }, 2);
    assert.deepEqual(raw.buckets, expectedBuckets(DOCS, [months]).map(({ key, doc_count }) => ({ key, doc_count })));

    const label = (ms: number): string => `${new Date(ms).getUTCFullYear()}-${pad(new Date(ms).getUTCMonth() + 1)}`;
    const formatted = await allPages({ sources: [{ m: { date_histogram: { field: 'ts', calendar_interval: '1M', format: 'yyyy-MM' } } }, { flag: { terms: { field: 'flag', missing_bucket: true } } }] }, 3);
    const flag: ExpectedSource = { name: 'flag', values: (d) => list(d.flag), missingBucket: true };
    const expected = expectedBuckets(DOCS, [months, flag]).map(({ key, doc_count }) => ({ key: { ...key, m: label(key.m as number) }, doc_count }));
    assert.deepEqual(formatted.buckets, expected);

    const day = 86_400_000;
    const zone = 2 * 3_600_000;
    const localDays: ExpectedSource = { name: 'd', values: (d) => list(d.ts).map((s) => Math.floor((Date.parse(s) + zone) / day) * day - zone), desc: true };
    const zoned = await allPages({ sources: [{ d: { date_histogram: { field: 'ts', fixed_interval: '1d', time_zone: '+02:00', order: 'desc' } } }] }, 8);
    assert.deepEqual(zoned.buckets, expectedBuckets(DOCS, [localDays]).map(({ key, doc_count }) => ({ key, doc_count })));
  });

  it('runs sub-aggregations on each bucket’s documents', async () => {
    const res = await search({ size: 0, aggs: { c: { composite: { sources: [{ color: { terms: { field: 'color' } } }] }, aggs: { avg_price: { avg: { field: 'price' } }, sizes: { terms: { field: 'size' } } } } } });
    assert.equal(res.status, 200, res.text);
    const expected = expectedBuckets(DOCS, [colorSource]);
    const got = res.body.aggregations.c.buckets;
    assert.ok(expected.length > 1);
    assert.equal(got.length, expected.length);
    for (const [i, b] of got.entries()) {
      const members = expected[i].ids.map(byId);
      const prices = members.flatMap((d) => list(d.price));
      const avg = prices.length === 0 ? null : prices.reduce((a, p) => a + p, 0) / prices.length;
      assert.equal((b.avg_price as { value: number | null }).value, avg, `avg for ${String(b.key.color)}`);
      const sizeCounts = new Map<number, number>();
      for (const d of members) for (const s of new Set(list(d.size))) sizeCounts.set(s, (sizeCounts.get(s) ?? 0) + 1);
      const top = (b.sizes as { buckets: { key: number; doc_count: number }[] }).buckets;
      assert.deepEqual(new Map(top.map((t) => [t.key, t.doc_count])), sizeCounts);
    }
  });

  it('answers an empty bucket list (and no after_key) when nothing matches', async () => {
    const page = await composite({ sources: [{ color: { terms: { field: 'color' } } }] }, { term: { color: 'purple' } });
    assert.deepEqual(page, { buckets: [] });
    const unmapped = await composite({ sources: [{ nope: { terms: { field: 'nope', missing_bucket: true } } }] });
    assert.deepEqual(unmapped, { after_key: { nope: null }, buckets: [{ key: { nope: null }, doc_count: DOCS.length }] });
  });

  describe('errors, as OpenSearch words them', () => {
    const sourcesFailure = async (sources: unknown): Promise<Cause | undefined> => {
      const body = await failure({ c: { composite: { sources } } });
      assert.equal(body.status, 400);
      assert.equal(body.error.type, 'x_content_parse_exception');
      assert.equal(body.error.reason, '[composite] failed to parse field [sources]');
      assert.deepEqual(body.error.root_cause, [{ type: 'x_content_parse_exception', reason: '[composite] failed to parse field [sources]' }]);
      return body.error.caused_by;
    };
    const illegalArgument = async (aggs: unknown, reason: string): Promise<void> => {
      const body = await failure(aggs);
      assert.equal(body.status, 400);
      assert.deepEqual({ type: body.error.type, reason: body.error.reason }, { type: 'illegal_argument_exception', reason });
    };

    it('refuses a missing or empty sources list and duplicate names', async () => {
      await illegalArgument({ c: { composite: { size: 5 } } }, 'Required [sources]');
      const empty = await sourcesFailure([]);
      assert.equal(empty?.reason, 'Failed to build [composite] after last required field arrived');
      assert.deepEqual(empty?.caused_by, { type: 'illegal_argument_exception', reason: 'Composite [sources] cannot be null or empty' });
      const dup = await sourcesFailure([{ a: { terms: { field: 'color' } } }, { a: { terms: { field: 'size' } } }]);
      assert.deepEqual(dup?.caused_by, { type: 'illegal_argument_exception', reason: 'Composite source names must be unique, found duplicates: [a]' });
    });

    it('refuses a source with no type, two types or an unknown type', async () => {
      assert.deepEqual(await sourcesFailure([{ a: {} }]), { type: 'parsing_exception', reason: 'Failed to parse object: expecting token of type [FIELD_NAME] but found [END_OBJECT]' });
      assert.deepEqual(await sourcesFailure([{ a: { terms: { field: 'color' }, histogram: { field: 'size', interval: 1 } } }]), {
        type: 'illegal_state_exception',
        reason: 'expected value but got [FIELD_NAME]',
      });
      assert.deepEqual(await sourcesFailure([{ a: { range: { field: 'size' } } }]), { type: 'parsing_exception', reason: 'invalid source type: range' });
      assert.deepEqual(await sourcesFailure(['color']), { type: 'parsing_exception', reason: 'Failed to parse object: expecting token of type [START_OBJECT] but found [VALUE_STRING]' });
    });

    it('refuses unknown or malformed source options', async () => {
      assert.deepEqual(await sourcesFailure([{ a: { terms: { field: 'color', missing: 'x' } } }]), { type: 'x_content_parse_exception', reason: '[terms] unknown field [missing]' });
      assert.deepEqual(await sourcesFailure([{ a: { terms: { field: 'color', order: 'up' } } }]), {
        type: 'x_content_parse_exception',
        reason: '[terms] failed to parse field [order]',
        caused_by: { type: 'illegal_argument_exception', reason: 'No enum constant org.opensearch.search.sort.SortOrder.UP' },
      });
      assert.deepEqual(await sourcesFailure([{ a: { histogram: { field: 'price', interval: -1 } } }]), {
        type: 'x_content_parse_exception',
        reason: '[histogram] failed to parse field [interval]',
        caused_by: { type: 'illegal_argument_exception', reason: '[interval] must be greater than 0 for [histogram] source' },
      });
      await illegalArgument({ c: { composite: { sources: [{ a: { histogram: { field: 'color', interval: 1 } } }] } } }, 'Field [color] of type [keyword] is not supported for aggregation [histogram]');
      await illegalArgument({ c: { composite: { sources: [{ a: { terms: { field: 'color', missing_order: 'last' } } }] } } }, 'missing_order require missing_bucket is true');
    });

    it('refuses scripts and geotile_grid plainly (the engine aggregates neither scripts nor geo fields)', async () => {
      const body = await failure({ c: { composite: { sources: [{ a: { terms: { script: { source: "doc['size'].value" } } } }] } } });
      assert.equal(body.status, 400);
      assert.equal(body.error.type, 'illegal_argument_exception');
      assert.match(body.error.reason, /scripts in composite sources are not supported/);
      const geo = await failure({ c: { composite: { sources: [{ g: { geotile_grid: { field: 'loc' } } }] } } });
      assert.deepEqual([geo.status, geo.error.type], [400, 'illegal_argument_exception']);
      assert.match(geo.error.reason, /\[geotile_grid\] composite sources are not supported/);
    });

    it('refuses composite under a parent aggregation', async () => {
      const inner = { composite: { sources: [{ a: { terms: { field: 'color' } } }] } };
      await illegalArgument({ t: { terms: { field: 'color' }, aggs: { c: inner } } }, '[composite] aggregation cannot be used with a parent aggregation of type: [TermsAggregatorFactory]');
      await illegalArgument({ f: { filter: { match_all: {} }, aggs: { c: inner } } }, '[composite] aggregation cannot be used with a parent aggregation of type: [FilterAggregatorFactory]');
      await illegalArgument({ c: { ...inner, aggs: { c2: inner } } }, '[composite] aggregation cannot be used with a parent aggregation of type: [CompositeAggregationFactory]');
    });

    it('refuses an after key that does not fit the sources', async () => {
      const sources = [{ color: { terms: { field: 'color' } } }, { size: { terms: { field: 'size' } } }];
      const withAfter = (a: unknown) => ({ c: { composite: { sources, after: a } } });
      await illegalArgument(withAfter({ color: 'red' }), '[after] has 1 value(s) but [sources] has 2');
      await illegalArgument(withAfter({ color: 'red', sizes: 1 }), 'Missing value for [after.size]');
      await illegalArgument(withAfter({ color: null, size: 1 }), 'Invalid value for [after.color], expected comparable, got [null]');
      await illegalArgument(withAfter({ color: 7, size: 1 }), 'invalid value, expected string, got Integer');
      const badNumber = await failure(withAfter({ color: 'red', size: 'big' }));
      assert.deepEqual({ status: badNumber.status, type: badNumber.error.type, reason: badNumber.error.reason }, { status: 400, type: 'number_format_exception', reason: 'For input string: "big"' });
    });
  });
});
