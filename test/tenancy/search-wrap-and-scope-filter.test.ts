import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTarget, rewriteByQueryBody, rewriteCountBody, rewriteSearchBody } from '../../src/tenancy/index.ts';
import { DEDICATED, ITEMS, LOGS, MIXED, ORDERS, SHARED, assertRefused, scopeOf, sharedFilter, wrapped } from './support.ts';

describe('search wrap and scope filter', () => {
  it('wraps the client query with the tenant and logical index filter, keeping other keys', () => {
    const body = { query: { match: { title: 'x' } }, size: 5, from: 10, _source: ['title'], track_total_hits: true };
    assert.deepEqual(rewriteSearchBody(body, SHARED), {
      query: wrapped({ match: { title: 'x' } }),
      size: 5,
      from: 10,
      _source: ['title'],
      track_total_hits: true,
    });
  });

  it('an absent body or query becomes match_all inside the wrap', () => {
    assert.deepEqual(rewriteSearchBody(undefined, SHARED), { query: wrapped({ match_all: {} }) });
    assert.deepEqual(rewriteSearchBody({ size: 0 }, SHARED), { query: wrapped({ match_all: {} }), size: 0 });
  });

  it('several shared logical indexes are listed in the _lindex terms', () => {
    const out = rewriteSearchBody({}, scopeOf([ORDERS, ITEMS]));
    assert.deepEqual(out.query, wrapped({ match_all: {} }, 'orders', 'items'));
  });

  it('the single shared index template filters the same way', () => {
    const t = resolveTarget('acme', 'orders', { kind: 'shared', index_template: 'osproxy-shared' });
    assert.deepEqual(rewriteSearchBody({}, scopeOf([t])).query, wrapped({ match_all: {} }));
  });

  it('shared and dedicated targets on one cluster: either the shared clause or a dedicated physical index', () => {
    assert.deepEqual(rewriteSearchBody({}, MIXED).query, {
      bool: {
        must: [{ match_all: {} }],
        filter: [{ bool: { should: [sharedFilter('orders'), { terms: { _index: ['t-acme-logs'] } }], minimum_should_match: 1 } }],
      },
    });
  });

  it('dedicated-only searches need no filter', () => {
    assert.deepEqual(rewriteSearchBody({ query: { term: { a: 1 } } }, DEDICATED), { query: { bool: { must: [{ term: { a: 1 } }] } } });
  });

  it('refuses a request with no target (it would search every index) or spanning clusters', () => {
    assertRefused(() => rewriteSearchBody({}, scopeOf([])), 'no_target');
    const remote = resolveTarget('acme', 'big', { kind: 'cluster', cluster: 'c2' });
    assertRefused(() => rewriteSearchBody({}, scopeOf([ORDERS, remote])), 'multiple_clusters');
  });

  it('refuses unknown top-level keys', () => {
    assertRefused(() => rewriteSearchBody({ querry: {} }, SHARED), 'unknown_search_key', 'parsing_exception');
  });

  it('refuses pathologically deep queries instead of overflowing the stack', () => {
    let q = { match_all: {} } as Record<string, unknown>;
    for (let i = 0; i < 200; i++) q = { bool: { must: [q] } };
    assertRefused(() => rewriteSearchBody({ query: q as never }, SHARED), 'query_too_deep');
  });

  it('count bodies: only a query, wrapped', () => {
    assert.deepEqual(rewriteCountBody({ query: { term: { a: 1 } } }, SHARED), { query: wrapped({ term: { a: 1 } }) });
    assert.deepEqual(rewriteCountBody(undefined, SHARED), { query: wrapped({ match_all: {} }) });
    assertRefused(() => rewriteCountBody({ aggs: {} }, SHARED), 'unknown_count_key', 'parsing_exception');
  });

  it('by-query bodies: wrapped query, stored allowlisted scripts only in shared placement', () => {
    const body = { query: { term: { a: 1 } }, script: { id: 'approved-score', params: { n: 1 } }, max_docs: 10, conflicts: 'proceed' };
    assert.deepEqual(rewriteByQueryBody(body, SHARED), { ...body, query: wrapped({ term: { a: 1 } }) });
    assertRefused(() => rewriteByQueryBody({ script: { source: 'ctx._source.x = 1' } }, SHARED), 'inline_script_refused');
    assertRefused(() => rewriteByQueryBody({ script: 'ctx._source.x = 1' }, SHARED), 'inline_script_refused');
    assertRefused(() => rewriteByQueryBody({ script: { id: 'other' } }, SHARED), 'stored_script_not_allowed');
    assertRefused(() => rewriteByQueryBody({ script: { id: 'approved-score', params: { _tenant: 'globex' } } }, SHARED), 'reserved_field');
    assertRefused(() => rewriteByQueryBody({ sort: ['a'] }, SHARED), 'unknown_by_query_key', 'parsing_exception');
    const inline = { script: { source: 'ctx._source.x = 1' } };
    assert.deepEqual(rewriteByQueryBody(inline, scopeOf([LOGS])), { ...inline, query: { bool: { must: [{ match_all: {} }] } } });
  });
});
