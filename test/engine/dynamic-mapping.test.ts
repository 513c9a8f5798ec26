import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { call } from '../helpers/http.ts';

type Body = Record<string, unknown> & { error?: { type: string; reason: string } };

describe('engine mappings', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ port: 0 });
  });
  after(() => engine.close());

  it('maps new fields like OpenSearch: text+keyword, long, float, boolean, date, object', async () => {
    await call(engine.url, 'PUT', '/dyn/_doc/1', { title: 'Drive', year: 2011, rating: 7.8, seen: true, released: '2011-09-16', cast: { lead: 'Gosling' }, tags: ['a', 'b'] });
    const res = await call<Record<string, { mappings: { properties: Record<string, unknown> } }>>(engine.url, 'GET', '/dyn/_mapping');
    assert.deepEqual(res.body.dyn.mappings.properties, {
      title: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
      year: { type: 'long' },
      rating: { type: 'float' },
      seen: { type: 'boolean' },
      released: { type: 'date' },
      cast: { properties: { lead: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } } },
      tags: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
    });
  });

  it('rejects a value that does not fit the mapped type with mapper_parsing_exception', async () => {
    const res = await call<Body>(engine.url, 'PUT', '/dyn/_doc/2', { year: 'not a year' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.type, 'mapper_parsing_exception');
    assert.equal((await call(engine.url, 'GET', '/dyn/_doc/2')).status, 404);
  });

  it('uses explicit mappings and rejects type changes with illegal_argument_exception', async () => {
    const created = await call<Body>(engine.url, 'PUT', '/explicit', { mappings: { properties: { code: { type: 'keyword' }, n: { type: 'integer' } } } });
    assert.equal(created.status, 200);
    const change = await call<Body>(engine.url, 'PUT', '/explicit/_mapping', { properties: { code: { type: 'text' } } });
    assert.equal(change.status, 400);
    assert.equal(change.body.error?.type, 'illegal_argument_exception');
    assert.match(change.body.error!.reason, /cannot be changed from type \[keyword\] to \[text\]/);
    const add = await call<Body>(engine.url, 'PUT', '/explicit/_mapping', { properties: { extra: { type: 'date' } } });
    assert.equal(add.status, 200);
    const got = await call<Record<string, { mappings: { properties: Record<string, unknown> } }>>(engine.url, 'GET', '/explicit/_mapping');
    assert.deepEqual(Object.keys(got.body.explicit.mappings.properties).sort(), ['code', 'extra', 'n']);
  });

  it('refuses unknown field types and strict-mode new fields', async () => {
    const bad = await call<Body>(engine.url, 'PUT', '/badtype', { mappings: { properties: { x: { type: 'nonsense' } } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.type, 'mapper_parsing_exception');
    await call(engine.url, 'PUT', '/strict', { mappings: { dynamic: 'strict', properties: { a: { type: 'keyword' } } } });
    const res = await call<Body>(engine.url, 'PUT', '/strict/_doc/1', { a: 'x', b: 'y' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.type, 'strict_dynamic_mapping_exception');
  });
});
