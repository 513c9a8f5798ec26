import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../src/engine/analysis/index.ts';
import type { JsonObject } from '../../../src/engine/json.ts';
import { executeSearch } from '../../../src/engine/search/index.ts';
import { makeIndex, movies } from './fixtures.ts';

describe('analyzers', () => {
  it('standard lowercases and splits like Lucene StandardTokenizer for ASCII', () => {
    assert.deepEqual(analyze("The Quick-Brown fox's 3.14 U.S.A. e-mail: foo@bar.com 1,000"), ['the', 'quick', 'brown', "fox's", '3.14', 'u.s.a', 'e', 'mail', 'foo', 'bar.com', '1,000']);
    assert.deepEqual(analyze('Été à Paris'), ['été', 'à', 'paris']);
    assert.equal(analyze('x'.repeat(300)).length, 2);
  });

  it('keyword, simple and whitespace analyzers', () => {
    assert.deepEqual(analyze('Hello World-2', 'keyword'), ['Hello World-2']);
    assert.deepEqual(analyze('Hello World-2', 'simple'), ['hello', 'world']);
    assert.deepEqual(analyze('Hello World-2', 'whitespace'), ['Hello', 'World-2']);
    assert.throws(() => analyze('x', 'nope'));
  });
});

describe('highlight', () => {
  const idx = movies();
  const hl = (query: JsonObject, highlight: JsonObject) => executeSearch([idx], { query, highlight }, {}).hits.map((h) => h.highlight);

  it('wraps matched tokens of the queried field in <em> tags', () => {
    assert.deepEqual(hl({ match: { director: 'winding refn' } }, { fields: { director: {} } }), [{ director: ['Nicolas <em>Winding</em> <em>Refn</em>'] }]);
  });

  it('honours pre/post tags and does not highlight other fields by default', () => {
    const out = hl({ match: { title: 'frozen' } }, { pre_tags: ['['], post_tags: [']'], fields: { title: {}, director: {} } });
    assert.deepEqual(out, [{ title: ['[Frozen]'] }]);
  });

  it('query_string over all fields highlights wildcard fields; must_not terms are not highlighted', () => {
    assert.deepEqual(hl({ query_string: { query: 'miller' } }, { fields: { '*': {} } }), [{ director: ['Bennett <em>Miller</em>'] }]);
    const neg = hl({ bool: { must: { match: { title: 'lion' } }, must_not: { match: { title: 'frozen' } } } }, { fields: { title: {} } });
    assert.deepEqual(neg, [{ title: ['The <em>Lion</em> King'] }, { title: ['The <em>Lion</em> King'] }]);
  });

  it('splits long values into matching sentences', () => {
    const long = makeIndex('l', { body: { type: 'text' } }, [{ body: `${'Filler words here. '.repeat(6)}The needle is here. ${'More filler. '.repeat(5)}` }]);
    const res = executeSearch([long], { query: { match: { body: 'needle' } }, highlight: { fields: { body: {} } } }, {});
    assert.deepEqual(res.hits[0].highlight, { body: ['The <em>needle</em> is here.'] });
  });
});
