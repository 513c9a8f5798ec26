import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, JsonObject } from '../../src/core/json.ts';
import { checkSearchParams, rewriteSearchBody } from '../../src/tenancy/index.ts';
import { DEDICATED, MIXED, ONE_SHARED_ITEMS, ONE_SHARED_ORDERS, SHARED, assertRefused, scopeOf, wrapped } from './support.ts';

const rewrite = (body: JsonObject, scope = SHARED) => rewriteSearchBody(body, scope);

describe('search sections isolation', () => {
  it('suggest is refused in shared placement, kept in dedicated', () => {
    const body = { suggest: { s: { text: 'x', term: { field: 'title' } } } };
    assertRefused(() => rewrite(body), 'suggest_refused');
    assert.deepEqual(rewrite(body, DEDICATED).suggest, body.suggest);
  });

  it('indices_boost maps logical names to physical ones when the mapping is exact', () => {
    assert.deepEqual(rewrite({ indices_boost: [{ orders: 2 }, { logs: 1.5 }] }, MIXED).indices_boost, [{ 'osproxy-shared-orders': 2 }, { 't-acme-logs': 1.5 }]);
    assert.deepEqual(rewrite({ indices_boost: { orders: 2 } }).indices_boost, { 'osproxy-shared-orders': 2 });
  });

  it('indices_boost is refused for unknown names and for indexes sharing one physical index', () => {
    assertRefused(() => rewrite({ indices_boost: [{ 'ord*': 2 }] }), 'indices_boost_refused');
    assertRefused(() => rewrite({ indices_boost: [{ orders: 2 }] }, scopeOf([ONE_SHARED_ORDERS, ONE_SHARED_ITEMS])), 'indices_boost_refused');
  });

  it('stats groups are refused', () => {
    assertRefused(() => rewrite({ stats: ['group'] }), 'stats_refused');
    assertRefused(() => rewrite({ stats: ['group'] }, DEDICATED), 'stats_refused');
  });

  it('search_type=dfs_query_then_fetch is refused in shared placement only', () => {
    assertRefused(() => checkSearchParams(new Map([['search_type', 'dfs_query_then_fetch']]), SHARED), 'dfs_refused');
    assertRefused(() => checkSearchParams(new URLSearchParams('search_type=dfs_query_then_fetch'), MIXED), 'dfs_refused');
    checkSearchParams(new Map([['search_type', 'dfs_query_then_fetch']]), DEDICATED);
    checkSearchParams(new Map([['search_type', 'query_then_fetch'], ['size', '5']]), SHARED);
  });

  it('URL parameters naming fields are checked like the body', () => {
    assertRefused(() => checkSearchParams(new URLSearchParams('q=_tenant:globex'), SHARED), 'query_text_refused');
    assertRefused(() => checkSearchParams(new URLSearchParams('df=_lindex'), SHARED), 'reserved_field_refused');
    assertRefused(() => checkSearchParams(new URLSearchParams('sort=title:asc,_tenant:desc'), SHARED), 'reserved_field_refused');
    assertRefused(() => checkSearchParams(new URLSearchParams('sort=_index'), SHARED), 'metadata_field_refused');
    assertRefused(() => checkSearchParams(new URLSearchParams('docvalue_fields=_tenant'), SHARED), 'reserved_field_refused');
    assertRefused(() => checkSearchParams(new URLSearchParams('stats=g'), SHARED), 'stats_refused');
    assertRefused(() => checkSearchParams(new URLSearchParams('search_pipeline=p'), SHARED), 'search_pipeline_refused');
    checkSearchParams(new URLSearchParams('q=title:x&sort=_score,at:desc&stored_fields=_id,_routing'), SHARED);
  });

  it('sort on reserved, _index, _routing or (shared) _id is refused; script sorts follow the script rule', () => {
    const sorts: Json[] = ['_tenant', { _lindex: 'asc' }, ['a', { _index: { order: 'asc' } }], '_routing', { _id: 'asc' }, { _geo_distance: { _tenant: [0, 0] } }];
    for (const sort of sorts) {
      const err = (() => {
        try {
          rewrite({ sort });
        } catch (e) {
          return (e as { code: string }).code;
        }
        return 'none';
      })();
      assert.ok(['reserved_field_refused', 'metadata_field_refused'].includes(err), `${JSON.stringify(sort)} → ${err}`);
    }
    assertRefused(() => rewrite({ sort: { _script: { type: 'number', script: { source: '1' }, order: 'asc' } } }), 'inline_script_refused');
    const ok: { sort: Json } = { sort: ['_score', { at: { order: 'desc', missing: '_last' } }, '_doc', { _geo_distance: { loc: [0, 0], order: 'asc', unit: 'km' } }] };
    assert.deepEqual(rewrite(ok).sort, ok.sort);
    assert.deepEqual(rewrite({ sort: [{ _id: 'asc' }] }, DEDICATED).sort, [{ _id: 'asc' }]);
  });

  it('fields, docvalue_fields, stored_fields and highlight allow wildcards, refuse explicit reserved names', () => {
    const ok = {
      fields: ['*', { field: 'at', format: 'epoch_millis' }],
      docvalue_fields: ['_*', 'n'],
      stored_fields: ['_id', '_routing', '*'],
      highlight: { fields: { '*': {}, title: { highlight_query: { match: { title: 'x' } } } }, pre_tags: ['<b>'] },
    };
    assert.deepEqual(rewrite(ok), { query: wrapped({ match_all: {} }), ...ok });
    assertRefused(() => rewrite({ fields: ['_tenant'] }), 'reserved_field_refused');
    assertRefused(() => rewrite({ docvalue_fields: [{ field: '_lindex' }] }), 'reserved_field_refused');
    assertRefused(() => rewrite({ fields: ['_index'] }), 'metadata_field_refused');
    assertRefused(() => rewrite({ stored_fields: ['_tenant'] }), 'reserved_field_refused');
    assertRefused(() => rewrite({ highlight: { fields: [{ _tenant: {} }] } }), 'reserved_field_refused');
    assertRefused(() => rewrite({ highlight: { fields: { title: { matched_fields: ['_lindex'] } } } }), 'reserved_field_refused');
    assertRefused(() => rewrite({ highlight: { highlight_query: { term: { _tenant: 'x' } }, fields: { '*': {} } } }), 'reserved_field_refused');
  });

  it('script_fields: wildcard-free names are fine, inline scripts refused in shared placement', () => {
    const stored = { script_fields: { s: { script: { id: 'approved-score' } } } };
    assert.deepEqual(rewrite(stored).script_fields, stored.script_fields);
    assertRefused(() => rewrite({ script_fields: { s: { script: { source: "doc['_tenant']" } } } }), 'inline_script_refused');
    const inline = { script_fields: { s: { script: { source: '1' } } } };
    assert.deepEqual(rewrite(inline, DEDICATED).script_fields, inline.script_fields);
  });

  it('runtime_mappings, profile, inline search pipelines and ext are refused in shared placement', () => {
    assertRefused(() => rewrite({ runtime_mappings: { _tenant: { type: 'keyword', script: "emit('acme')" } } }), 'runtime_mappings_refused');
    assertRefused(() => rewrite({ profile: true }), 'profile_refused');
    assertRefused(() => rewrite({ search_pipeline: { request_processors: [] } }), 'search_pipeline_refused');
    assertRefused(() => rewrite({ ext: { x: {} } }), 'ext_refused');
    assert.deepEqual(rewrite({ profile: false }).profile, false);
    const rm = { runtime_mappings: { d: { type: 'long', script: 'emit(1)' } } };
    assert.deepEqual(rewrite(rm, DEDICATED).runtime_mappings, rm.runtime_mappings);
  });

  it('pit, slice, search_after and min_score are kept, and a PIT search is still wrapped', () => {
    const body = { pit: { id: 'sealed', keep_alive: '1m' }, slice: { id: 0, max: 2 }, search_after: [1, 'a'], min_score: 0.5, query: { match_all: {} } };
    assert.deepEqual(rewrite(body), { ...body, query: wrapped({ match_all: {} }) });
    assertRefused(() => rewrite({ slice: { id: 0, max: 2, field: '_tenant' } }), 'reserved_field_refused');
  });

  it('collapse on reserved fields or shared _id is refused; its inner_hits are checked', () => {
    assertRefused(() => rewrite({ collapse: { field: '_tenant' } }), 'reserved_field_refused');
    assertRefused(() => rewrite({ collapse: { field: '_id' } }), 'metadata_field_refused');
    assertRefused(() => rewrite({ collapse: { field: 'user', inner_hits: { name: 'x', sort: [{ _lindex: 'asc' }] } } }), 'reserved_field_refused');
    const ok = { collapse: { field: 'user', inner_hits: [{ name: 'a', size: 2, collapse: { field: 'kind' } }] } };
    assert.deepEqual(rewrite(ok).collapse, ok.collapse);
  });

  it('rescore queries and post_filter are walked and checked', () => {
    assertRefused(() => rewrite({ rescore: [{ query: { rescore_query: { term: { _tenant: 'globex' } } } }] }), 'reserved_field_refused');
    assertRefused(() => rewrite({ rescore: { learning_to_rank: {} } }), 'unsupported_parameter', 'parsing_exception');
    assertRefused(() => rewrite({ post_filter: { exists: { field: '_lindex' } } }), 'reserved_field_refused');
  });
});
