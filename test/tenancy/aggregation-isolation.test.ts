import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/json.ts';
import { rewriteSearchBody } from '../../src/tenancy/index.ts';
import { DEDICATED, SHARED, assertRefused, sharedFilter } from './support.ts';

const aggsOf = (aggs: JsonObject, scope = SHARED) => rewriteSearchBody({ aggs }, scope).aggs;

describe('aggregation isolation', () => {
  it('refuses a global aggregation at the top and at any depth', () => {
    assertRefused(() => aggsOf({ all: { global: {} } }), 'global_aggregation_refused');
    const deep = { a: { terms: { field: 'x' }, aggs: { b: { nested: { path: 'n' }, aggregations: { c: { global: {} } } } } } };
    assertRefused(() => aggsOf(deep), 'global_aggregation_refused');
    assertRefused(() => aggsOf({ all: { global: {} } }, DEDICATED), 'global_aggregation_refused');
  });

  it('significant_terms and significant_text get the scope filter as background_filter', () => {
    assert.deepEqual(aggsOf({ s: { significant_terms: { field: 'tag' } } }), {
      s: { significant_terms: { field: 'tag', background_filter: sharedFilter('orders') } },
    });
    assert.deepEqual(aggsOf({ s: { significant_text: { field: 'body', background_filter: { term: { kind: 'a' } } } } }), {
      s: { significant_text: { field: 'body', background_filter: { bool: { filter: [{ term: { kind: 'a' } }, sharedFilter('orders')] } } } },
    });
  });

  it('significant_terms in dedicated placement is left alone', () => {
    assert.deepEqual(aggsOf({ s: { significant_terms: { field: 'tag' } } }, DEDICATED), { s: { significant_terms: { field: 'tag' } } });
  });

  it('refuses min_doc_count 0 on terms, multi_terms, composite sources and significant_terms', () => {
    assertRefused(() => aggsOf({ t: { terms: { field: 'tag', min_doc_count: 0 } } }), 'min_doc_count_zero_refused');
    assertRefused(() => aggsOf({ t: { terms: { field: 'tag', min_doc_count: '0' } } }), 'min_doc_count_zero_refused');
    assertRefused(() => aggsOf({ t: { multi_terms: { terms: [{ field: 'a' }, { field: 'b' }], min_doc_count: 0 } } }), 'min_doc_count_zero_refused');
    assertRefused(() => aggsOf({ c: { composite: { sources: [{ s: { terms: { field: 'a', min_doc_count: 0 } } }] } } }), 'min_doc_count_zero_refused');
    assertRefused(() => aggsOf({ s: { significant_terms: { field: 'a', min_doc_count: 0 } } }), 'min_doc_count_zero_refused');
  });

  it('keeps min_doc_count 0 on histograms (buckets between the tenant’s own values)', () => {
    const aggs = { h: { date_histogram: { field: 'at', calendar_interval: 'day', min_doc_count: 0 } } };
    assert.deepEqual(aggsOf(aggs), aggs);
  });

  it('refuses aggregations on reserved fields, _index, _routing and (shared) _id', () => {
    const bad: JsonObject[] = [
      { terms: { field: '_tenant' } },
      { terms: { field: '_lindex.keyword' } },
      { cardinality: { field: '_tenant' } },
      { terms: { field: '_index' } },
      { terms: { field: '_routing' } },
      { terms: { field: '_id' } },
      { composite: { sources: [{ t: { terms: { field: '_lindex' } } }] } },
      { multi_terms: { terms: [{ field: 'a' }, { field: '_tenant' }] } },
      { weighted_avg: { value: { field: 'a' }, weight: { field: '_tenant' } } },
      { top_hits: { sort: [{ _tenant: 'asc' }] } },
      { top_metrics: { metrics: { field: 'a' }, sort: { _index: 'asc' } } },
      { significant_text: { field: 'body', source_fields: ['_tenant'] } },
    ];
    for (const agg of bad) {
      const codes = ['reserved_field_refused', 'metadata_field_refused'];
      let code = '';
      try {
        aggsOf({ a: agg });
      } catch (e) {
        code = (e as { code: string }).code;
      }
      assert.ok(codes.includes(code), `${JSON.stringify(agg)} → ${code}`);
    }
    assertRefused(() => aggsOf({ a: { terms: { field: '_tenant' } } }), 'reserved_field_refused');
    assertRefused(() => aggsOf({ a: { terms: { field: '_index' } } }, DEDICATED), 'metadata_field_refused');
  });

  it('walks filter, filters and adjacency_matrix queries like any query', () => {
    const out = aggsOf({ f: { filter: { term: { _index: 'orders' } } }, fs: { filters: { filters: { a: { ids: { values: ['1'] } } } } } });
    assert.deepEqual(out, {
      f: { filter: { constant_score: { filter: { terms: { _lindex: ['orders'] } } } } },
      fs: { filters: { filters: { a: { ids: { values: ['acme:orders:1'] } } } } },
    });
    assertRefused(() => aggsOf({ m: { adjacency_matrix: { filters: { a: { exists: { field: '_tenant' } } } } } }), 'reserved_field_refused');
  });

  it('refuses inline scripts in aggregations in shared placement, allows allowlisted stored ones', () => {
    assertRefused(() => aggsOf({ t: { terms: { script: { source: "doc['_tenant'].value" } } } }), 'inline_script_refused');
    assertRefused(() => aggsOf({ s: { scripted_metric: { map_script: 'state.x = 1' } } }), 'inline_script_refused');
    assertRefused(() => aggsOf({ s: { significant_terms: { field: 'a', script_heuristic: { script: { source: '1' } } } } }), 'inline_script_refused');
    const stored = { t: { terms: { script: { id: 'approved-score' } } } };
    assert.deepEqual(aggsOf(stored), stored);
    const inline = { t: { terms: { script: { source: '1' } } } };
    assert.deepEqual(aggsOf(inline, DEDICATED), inline);
  });

  it('pipeline aggregations pass (they read bucket values, not documents)', () => {
    const aggs = {
      h: { histogram: { field: 'n', interval: 10 }, aggs: { s: { sum: { field: 'n' } }, r: { bucket_script: { buckets_path: { s: 's' }, script: 'params.s * 2' } } } },
      m: { max_bucket: { buckets_path: 'h>s' } },
    };
    assert.deepEqual(aggsOf(aggs), aggs);
  });

  it('refuses join aggregations in shared placement and unknown aggregation types everywhere', () => {
    assertRefused(() => aggsOf({ c: { children: { type: 'answer' } } }), 'join_aggregation_refused');
    assert.deepEqual(aggsOf({ c: { children: { type: 'answer' } } }, DEDICATED), { c: { children: { type: 'answer' } } });
    assertRefused(() => aggsOf({ x: { mystery_agg: { field: 'a' } } }), 'unsupported_aggregation');
    assertRefused(() => aggsOf({ x: { terms: { field: 'a' }, avg: { field: 'b' } } }), 'malformed_aggregation', 'parsing_exception');
  });

  it('top_hits: hit options checked, sections rewritten', () => {
    const aggs = { t: { top_hits: { size: 1, sort: [{ at: 'desc' }], _source: ['title'], highlight: { fields: { '*': {} } } } } };
    assert.deepEqual(aggsOf(aggs), aggs);
    assertRefused(() => aggsOf({ t: { top_hits: { script_fields: { x: { script: 'doc.a' } } } } }), 'inline_script_refused');
  });
});
