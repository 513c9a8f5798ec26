import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@opensearch-project/opensearch';
import { hashPassword, hashToken } from '../../src/auth/index.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

interface Movie {
  title: string;
  year: number;
  genre: string;
  rating?: number;
}

const GENRES = ['drama', 'comedy', 'crime', 'animation'];
/** 200 movies: genre i % 4, years 1900..2099 (i maps to 1900 + i). */
const MOVIES: (Movie & { id: string })[] = Array.from({ length: 200 }, (_, i) => ({
  id: `m${i}`,
  title: `Movie number ${i}`,
  year: 1900 + i,
  genre: GENRES[i % GENRES.length],
}));

const MAPPINGS = {
  properties: {
    title: { type: 'text', fields: { keyword: { type: 'keyword' } } },
    year: { type: 'integer' },
    genre: { type: 'keyword' },
    rating: { type: 'float' },
  },
};

type SearchRequest = Parameters<Client['search']>[0];
type CreateRequest = Parameters<Client['indices']['create']>[0];

/** The whole client workflow against one logical index, for one way of authenticating. */
function workflow(label: string, index: string, client: () => Client): void {
  describe(`the official client through the proxy (${label})`, () => {
    it('creates an index with mappings', async () => {
      const res = await client().indices.create({ index, body: { mappings: MAPPINGS } } as CreateRequest);
      assert.equal(res.statusCode, 200);
      assert.equal(res.body.acknowledged, true);
      assert.equal(res.body.index, index);
      const exists = await client().indices.exists({ index });
      assert.equal(exists.body, true);
      const mapping = await client().indices.getMapping({ index });
      const props = (mapping.body[index] as { mappings: { properties: Record<string, { type: string }> } }).mappings.properties;
      assert.equal(props.year.type, 'integer');
      assert.equal(props.genre.type, 'keyword');
      assert.equal(props._tenant, undefined, 'reserved fields are hidden from the mapping');
    });

    it('indexes a document with refresh and gets it back', async () => {
      const put = await client().index({ index, id: 'solo', body: { title: 'Solo', year: 2018, genre: 'scifi' }, refresh: true });
      assert.equal(put.statusCode, 201);
      assert.equal(put.body.result, 'created');
      assert.equal(put.body._index, index);
      assert.equal(put.body._id, 'solo');
      const got = await client().get({ index, id: 'solo' });
      assert.equal(got.body.found, true);
      assert.equal(got.body._index, index);
      assert.deepEqual(got.body._source, { title: 'Solo', year: 2018, genre: 'scifi' });
      const missing = await client().get({ index, id: 'nope' }, { ignore: [404] });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.body.found, false);
    });

    it('loads 200 documents with helpers.bulk', async () => {
      const failures: unknown[] = [];
      const result = await client().helpers.bulk({
        datasource: MOVIES,
        onDocument: (doc: Movie & { id: string }) => [{ index: { _index: index, _id: doc.id } }, { title: doc.title, year: doc.year, genre: doc.genre }],
        onDrop: (d) => failures.push(d),
        flushBytes: 4_000,
        refreshOnCompletion: index,
      });
      assert.deepEqual(failures, []);
      assert.equal(result.total, MOVIES.length);
      assert.equal(result.successful, MOVIES.length);
      assert.equal(result.failed, 0);
      const count = await client().count({ index });
      assert.equal(count.body.count, MOVIES.length + 1);
    });

    it('searches with a terms aggregation and a sort', async () => {
      const request: unknown = {
        index,
        body: {
          query: { range: { year: { gte: 2000 } } },
          aggs: { genres: { terms: { field: 'genre', order: { _key: 'asc' } } }, newest: { max: { field: 'year' } } },
          sort: [{ year: 'desc' }],
          size: 3,
          track_total_hits: true,
        },
      };
      const res = await client().search(request as SearchRequest);
      // Years 2000..2099 are m100..m199 (25 of each genre) plus Solo (2018, scifi).
      assert.equal((res.body.hits.total as { value: number }).value, 101);
      assert.deepEqual(res.body.hits.hits.map((h) => h._id), ['m199', 'm198', 'm197']);
      assert.deepEqual(res.body.hits.hits.map((h) => h._index), [index, index, index]);
      assert.deepEqual(res.body.hits.hits.map((h) => (h._source as Movie).year), [2099, 2098, 2097]);
      for (const hit of res.body.hits.hits) assert.deepEqual(Object.keys(hit._source as object).sort(), ['genre', 'title', 'year']);
      const aggs = res.body.aggregations as { genres: { buckets: { key: string; doc_count: number }[] }; newest: { value: number } };
      assert.deepEqual(
        aggs.genres.buckets.map((b) => [b.key, b.doc_count]),
        [['animation', 25], ['comedy', 25], ['crime', 25], ['drama', 25], ['scifi', 1]],
      );
      assert.equal(aggs.newest.value, 2099);
    });

    it('counts with a query', async () => {
      const res = await client().count({ index, body: { query: { term: { genre: 'crime' } } } });
      assert.equal(res.body.count, 50);
    });

    it('mgets by ids, in order, with a missing one', async () => {
      const res = await client().mget({ index, body: { ids: ['m7', 'missing', 'solo'] } });
      const docs = res.body.docs as { _index: string; _id: string; found: boolean; _source?: Movie }[];
      assert.deepEqual(docs.map((d) => [d._index, d._id, d.found]), [[index, 'm7', true], [index, 'missing', false], [index, 'solo', true]]);
      assert.equal(docs[0]._source?.year, 1907);
      assert.equal((docs[0]._source as unknown as Record<string, unknown>)._tenant, undefined);
    });

    it('updates a document and reads the change', async () => {
      const res = await client().update({ index, id: 'm7', body: { doc: { rating: 4.5 } }, refresh: true });
      assert.equal(res.body.result, 'updated');
      assert.equal(res.body._index, index);
      assert.equal(res.body._id, 'm7');
      const got = await client().get({ index, id: 'm7' });
      assert.equal((got.body._source as Movie).rating, 4.5);
      assert.equal(got.body._version, 2);
      const rated = await client().search({ index, body: { query: { exists: { field: 'rating' } } } });
      assert.deepEqual(rated.body.hits.hits.map((h) => h._id), ['m7']);
    });

    it('deletes a document', async () => {
      const res = await client().delete({ index, id: 'solo', refresh: true });
      assert.equal(res.body.result, 'deleted');
      assert.equal(res.body._index, index);
      const again = await client().delete({ index, id: 'solo' }, { ignore: [404] });
      assert.equal(again.statusCode, 404);
      assert.equal((await client().count({ index })).body.count, MOVIES.length);
    });

    it('reports errors as ResponseError with the OpenSearch error shape', async () => {
      await assert.rejects(
        () => client().index({ index, id: 'bad', body: { year: 'not a year' } }),
        (e: { meta?: { statusCode?: number; body?: { error?: { type?: string }; osproxy?: { code?: string } } } }) => {
          assert.equal(e.meta?.statusCode, 400);
          assert.equal(e.meta?.body?.error?.type, 'mapper_parsing_exception');
          assert.equal(typeof e.meta?.body?.osproxy?.code, 'string');
          return true;
        },
      );
    });
  });
}

describe('the official @opensearch-project/opensearch client against the proxy', () => {
  let stack: Stack;
  let bearer: Client;
  let basic: Client;
  let other: Client;

  before(async () => {
    const token = { name: 'acme-test', token_sha256: hashToken('acme-token'), roles: ['read', 'write', 'manage'] };
    const user = { name: 'acme-dashboards', username: 'dash', password_scrypt: await hashPassword('s3cret pass') };
    stack = await startStack({ tenantExtra: { acme: { principals: [token, user] } } });
    // The client has no bearer option: a default header carries the token.
    bearer = new Client({ node: stack.url, headers: stack.auth.acme });
    basic = new Client({ node: stack.url, auth: { username: 'dash', password: 's3cret pass' } });
    other = new Client({ node: stack.url, headers: stack.auth.globex });
  });
  after(async () => {
    await Promise.all([bearer.close(), basic.close(), other.close()]);
    await stack.close();
  });

  it('reads the synthesized cluster info', async () => {
    const info = await bearer.info();
    assert.equal(info.body.version.distribution, 'opensearch');
    assert.equal(info.body.cluster_name, 'osproxy');
    assert.equal(typeof info.headers?.['x-request-id'], 'string');
  });

  it('a wrong password is a 401 ResponseError', async () => {
    const wrong = new Client({ node: stack.url, auth: { username: 'dash', password: 'nope' } });
    try {
      await assert.rejects(() => wrong.info(), (e: { meta?: { statusCode?: number } }) => e.meta?.statusCode === 401);
    } finally {
      await wrong.close();
    }
  });

  workflow('bearer token', 'movies', () => bearer);
  workflow('basic auth', 'films', () => basic);

  describe('another tenant with its own client sees none of it', () => {
    it('has no indexes, documents or hits of the first tenant', async () => {
      for (const index of ['movies', 'films']) {
        assert.equal((await other.indices.exists({ index })).body, false);
        const got = await other.get({ index, id: 'm1' }, { ignore: [404] });
        assert.equal(got.statusCode, 404);
        const count = await other.count({ index }, { ignore: [404] });
        assert.equal(count.statusCode, 404);
        assert.equal((count.body as unknown as { error: { type: string } }).error.type, 'index_not_found_exception');
      }
      const all = await other.search({ body: { query: { match_all: {} } } });
      assert.equal((all.body.hits.total as { value: number }).value, 0);
      const pattern = await other.search({ index: 'mov*,fil*', body: { query: { match_all: {} } } });
      assert.equal(pattern.body.hits.hits.length, 0);
      const cat = await other.cat.indices({ format: 'json' });
      assert.deepEqual(cat.body, []);
      const mget = await other.mget({ index: 'movies', body: { ids: ['m1'] } }, { ignore: [404] });
      const docs = (mget.body.docs ?? []) as { found?: boolean }[];
      assert.ok(docs.every((d) => d.found !== true));
    });

    it('may use the same index name independently', async () => {
      const put = await other.index({ index: 'movies', id: 'm1', body: { title: 'Theirs', year: 1, genre: 'other' }, refresh: true });
      assert.equal(put.body.result, 'created');
      assert.equal((await other.count({ index: 'movies' })).body.count, 1);
      const mine = await bearer.get({ index: 'movies', id: 'm1' });
      assert.equal((mine.body._source as Movie).title, 'Movie number 1');
    });
  });

  describe('index deletion', () => {
    it('deletes the first tenant\'s indexes and leaves the other tenant\'s alone', async () => {
      const res = await bearer.indices.delete({ index: 'movies' });
      assert.equal(res.body.acknowledged, true);
      assert.equal((await bearer.indices.exists({ index: 'movies' })).body, false);
      assert.equal((await basic.indices.delete({ index: 'films' })).body.acknowledged, true);
      assert.equal((await basic.indices.exists({ index: 'films' })).body, false);
      const gone = await bearer.get({ index: 'movies', id: 'm1' }, { ignore: [404] });
      assert.equal(gone.statusCode, 404);
      assert.equal((await other.count({ index: 'movies' })).body.count, 1);
      assert.equal(((await other.get({ index: 'movies', id: 'm1' })).body._source as Movie).title, 'Theirs');
    });
  });
});
