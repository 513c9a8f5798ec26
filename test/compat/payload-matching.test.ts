import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkResponse, formatMismatch, matchPayload, statusMatches } from '../../src/compat/match.ts';
import type { ActualResponse } from '../../src/compat/request.ts';

function response(status: number, payload: ActualResponse['payload'], contentType = 'application/json'): ActualResponse {
  return { status, headers: {}, contentType, payload, text: typeof payload === 'string' ? payload : JSON.stringify(payload) };
}

describe('payload matching', () => {
  it('accepts extra keys in actual objects at every depth', () => {
    assert.deepEqual(matchPayload({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 }), []);
  });

  it('reports a missing key with its path', () => {
    assert.deepEqual(matchPayload({ hits: { total: { value: 1 } } }, { hits: {} }), [
      { path: 'hits.total', expected: '{"value":1}', actual: '<missing>' },
    ]);
  });

  it('reports a different scalar with its path and both values', () => {
    const [m] = matchPayload({ hits: { total: { value: 1 } } }, { hits: { total: { value: 2 } } });
    assert.equal(formatMismatch(m), 'hits.total.value: expected 1, got 2');
  });

  it('does not equate a number with a numeric string', () => {
    assert.equal(matchPayload({ n: 1 }, { n: '1' }).length, 1);
    assert.equal(matchPayload({ b: true }, { b: 'true' }).length, 1);
  });

  it('distinguishes null from a missing key', () => {
    assert.deepEqual(matchPayload({ max_score: null }, { max_score: null }), []);
    assert.equal(matchPayload({ max_score: null }, {})[0].actual, '<missing>');
    assert.equal(matchPayload({ max_score: null }, { max_score: 1 })[0].actual, '1');
  });

  it('matches array elements by position, partially', () => {
    const actual = { hits: [{ _id: 'a', _score: 1 }, { _id: 'b', _score: 1 }] };
    assert.deepEqual(matchPayload({ hits: [{ _id: 'a' }, { _id: 'b' }] }, actual), []);
    assert.deepEqual(
      matchPayload({ hits: [{ _id: 'b' }, { _id: 'a' }] }, actual).map(formatMismatch),
      ['hits[0]._id: expected "b", got "a"', 'hits[1]._id: expected "a", got "b"'],
    );
  });

  it('lets the actual array be longer, like the upstream runner', () => {
    const buckets = [{ key: 'Bennett Miller', doc_count: 2 }, { key: 'Nicolas Winding Refn', doc_count: 1 }];
    assert.deepEqual(matchPayload({ buckets: [{ key: 'Bennett Miller', doc_count: 2 }] }, { buckets }), []);
  });

  it('reports expected elements beyond the actual array as missing', () => {
    assert.deepEqual(matchPayload([1, 2], [1]).map(formatMismatch), ['$[1]: expected 2, got <missing>']);
  });

  it('requires an empty actual array when the expected one is empty', () => {
    assert.deepEqual(matchPayload({ hits: [] }, { hits: [] }), []);
    assert.deepEqual(matchPayload({ hits: [] }, { hits: [{}] }).map(formatMismatch), ['hits: expected [], got 1 element(s)']);
  });

  it('reports a type mismatch between object, array and scalar', () => {
    assert.equal(formatMismatch(matchPayload({ a: { b: 1 } }, { a: [1] })[0]), 'a: expected an object, got [1]');
    assert.equal(formatMismatch(matchPayload({ a: [1] }, { a: 'x' })[0]), 'a: expected an array, got "x"');
  });

  it('compares text payloads exactly', () => {
    assert.deepEqual(matchPayload('green open movies\n', 'green open movies\n'), []);
    assert.equal(matchPayload('green\n', 'yellow\n').length, 1);
  });

  it('quotes keys that are not plain identifiers in paths', () => {
    assert.equal(matchPayload({ 'a.b': 1 }, { 'a.b': 2 })[0].path, '"a.b"');
  });
});

describe('status and response checks', () => {
  it('defaults the expected status to 200 and accepts a list', () => {
    assert.equal(statusMatches(undefined, 200), true);
    assert.equal(statusMatches(undefined, 201), false);
    assert.equal(statusMatches(404, 404), true);
    assert.equal(statusMatches([200, 404], 404), true);
  });

  it('reports a wrong status alone, with the OpenSearch error reason', () => {
    const res = response(404, { error: { type: 'index_not_found_exception', reason: 'no such index [movies]' }, status: 404 });
    assert.deepEqual(checkResponse({ status: 200, payload: { count: 1 } }, res), [
      'status: expected 200, got 404 (index_not_found_exception: no such index [movies])',
    ]);
  });

  it('checks the content type only when the story states it', () => {
    const res = response(200, 'green\n', 'text/plain');
    assert.deepEqual(checkResponse({}, res), []);
    assert.deepEqual(checkResponse({ content_type: 'application/json' }, res), ['content-type: expected application/json, got text/plain']);
  });

  it('reports a missing payload when the response had no body', () => {
    assert.deepEqual(checkResponse({ payload: { count: 1 } }, response(200, undefined)), ['$: expected {"count":1}, got <missing>']);
  });
});
