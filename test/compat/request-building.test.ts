import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPath, buildRequest, parsePayload, serializeBody } from '../../src/compat/request.ts';
import { extractOutputs, getPath, OutputError, StoryOutputs } from '../../src/compat/outputs.ts';
import type { Step } from '../../src/compat/story.ts';

describe('path and query building', () => {
  it('fills placeholders and sends the other parameters as the query string', () => {
    assert.equal(buildPath('/{index}/_doc/{id}', { index: 'movies', id: '1', refresh: true }), '/movies/_doc/1?refresh=true');
  });

  it('joins lists with commas and writes booleans and numbers as text', () => {
    assert.equal(
      buildPath('/{index}/_search', { index: ['books', 'games'], _source: ['a', 'b'], explain: false, size: 0 }),
      '/books,games/_search?_source=a,b&explain=false&size=0',
    );
  });

  it('percent-encodes values but keeps commas literal', () => {
    assert.equal(buildPath('/{index}/_search', { index: 'a,b', q: 'title:x y&z' }), '/a,b/_search?q=title%3Ax%20y%26z');
  });

  it('leaves a placeholder without a parameter untouched', () => {
    assert.equal(buildPath('/{index}/_search', {}), '/{index}/_search');
  });
});

describe('request bodies', () => {
  it('writes NDJSON as one JSON line per element with a trailing newline', () => {
    const body = serializeBody([{ create: { _index: 'movies' } }, { title: 'Drive' }], 'application/x-ndjson');
    assert.equal(body, '{"create":{"_index":"movies"}}\n{"title":"Drive"}\n');
  });

  it('writes other payloads as JSON', () => {
    assert.equal(serializeBody({ query: { match_all: {} } }, 'application/json'), '{"query":{"match_all":{}}}');
  });

  it('sets content-type only when there is a body; a declared header wins', () => {
    const outputs = new StoryOutputs();
    const get: Step = { path: '/_count', method: 'GET' };
    assert.deepEqual(buildRequest(get, outputs).headers, {});
    const bulk: Step = { path: '/_bulk', method: 'POST', request: { content_type: 'application/x-ndjson', payload: [{ a: 1 }] } };
    assert.deepEqual(buildRequest(bulk, outputs), {
      method: 'POST',
      path: '/_bulk',
      headers: { 'content-type': 'application/x-ndjson' },
      body: '{"a":1}\n',
    });
    const custom: Step = { path: '/x', method: 'PUT', request: { headers: { 'Content-Type': 'application/yaml', 'X-N': 1 }, payload: 'a: 1' } };
    assert.deepEqual(buildRequest(custom, outputs).headers, { 'X-N': '1', 'content-type': 'application/yaml' });
  });
});

describe('output references', () => {
  function outputsWithScroll(): StoryOutputs {
    const outputs = new StoryOutputs();
    outputs.set('scroll', { scroll_id: 'abc=', n: 3 });
    return outputs;
  }

  it('substitutes ${id.name} in path, parameters and payload', () => {
    const step: Step = {
      path: '/_search/scroll/{scroll_id}',
      method: 'POST',
      parameters: { scroll_id: '${scroll.scroll_id}' },
      request: { payload: { scroll_id: '${scroll.scroll_id}', size: '${scroll.n}', note: 'id=${scroll.scroll_id}' } },
    };
    const req = buildRequest(step, outputsWithScroll());
    assert.equal(req.path, '/_search/scroll/abc%3D');
    // A whole-string reference keeps the value's type; an embedded one is interpolated.
    assert.deepEqual(JSON.parse(req.body ?? ''), { scroll_id: 'abc=', size: 3, note: 'id=abc=' });
  });

  it('fails clearly on an unknown step or output name', () => {
    const outputs = outputsWithScroll();
    assert.throws(() => outputs.resolve('${nope.x}'), OutputError);
    assert.throws(() => outputs.resolve(['${scroll.nope}']), /step "scroll" has no output "nope"/);
  });

  it('extracts outputs from payload paths with array indexes and from headers', () => {
    const source = { headers: { 'x-request-id': 'r1' }, payload: { _scroll_id: 's1', hits: { hits: [{ _id: 'd1' }] } } };
    const spec = { scroll: 'payload._scroll_id', first: 'payload.hits.hits[0]._id', req: 'headers.X-Request-Id' };
    assert.deepEqual(extractOutputs(spec, source), { scroll: 's1', first: 'd1', req: 'r1' });
  });

  it('uses the default of a detailed output and fails without one', () => {
    const source = { headers: {}, payload: {} };
    assert.deepEqual(extractOutputs({ n: { path: 'payload.count', default: 0 } }, source), { n: 0 });
    assert.throws(() => extractOutputs({ n: 'payload.count' }, source), /nothing at payload.count/);
  });

  it('reads nested paths like lodash get', () => {
    assert.equal(getPath({ a: [{ b: [0, 7] }] }, 'a[0].b[1]'), 7);
    assert.equal(getPath({ a: 1 }, 'a.b'), undefined);
  });
});

describe('response parsing', () => {
  it('parses JSON bodies, keeps text bodies and empty bodies absent', () => {
    assert.deepEqual(parsePayload('{"a":1}', 'application/json'), { a: 1 });
    assert.equal(parsePayload('green\n', 'text/plain'), 'green\n');
    assert.equal(parsePayload('', 'application/json'), undefined);
    assert.equal(parsePayload('{oops', 'application/json'), '{oops');
  });
});
