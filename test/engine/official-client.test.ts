import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@opensearch-project/opensearch';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';

interface Movie {
  title: string;
  year: number;
  genre: string;
}

const MOVIES: Movie[] = [
  { title: 'The Lion King', year: 1994, genre: 'animation' },
  { title: 'Drive', year: 2011, genre: 'crime' },
  { title: 'Frozen', year: 2013, genre: 'animation' },
  { title: 'Moneyball', year: 2011, genre: 'drama' },
  { title: 'The Cruise', year: 1998, genre: 'documentary' },
];

describe('the official @opensearch-project/opensearch client against the engine', () => {
  let engine: RunningEngine;
  let client: Client;
  before(async () => {
    engine = await startEngine({ port: 0 });
    client = new Client({ node: engine.url });
  });
  after(async () => {
    await client.close();
    await engine.close();
  });

  it('reads cluster info', async () => {
    const info = await client.info();
    assert.equal(info.body.version.distribution, 'opensearch');
  });

  it('indexes a document and gets it back', async () => {
    const res = await client.index({ index: 'movies', id: 'solo', body: { title: 'Solo', year: 2018, genre: 'scifi' }, refresh: true });
    assert.equal(res.body.result, 'created');
    const got = await client.get({ index: 'movies', id: 'solo' });
    assert.equal((got.body._source as Movie).title, 'Solo');
  });

  it('loads documents with helpers.bulk', async () => {
    const result = await client.helpers.bulk({
      datasource: MOVIES,
      onDocument: (doc: Movie) => ({ index: { _index: 'movies', _id: doc.title.toLowerCase().replace(/ /g, '-') } }),
      refreshOnCompletion: 'movies',
    });
    assert.equal(result.successful, MOVIES.length);
    assert.equal(result.failed, 0);
  });

  it('searches with aggregations', async () => {
    // The client's generated types lag the REST API for terms aggregations; the body is plain JSON.
    const request: unknown = {
      index: 'movies',
      body: {
        query: { range: { year: { gte: 2000 } } },
        aggs: { genres: { terms: { field: 'genre.keyword' } }, avg_year: { avg: { field: 'year' } } },
        sort: [{ year: 'asc' }],
      },
    };
    const res = await client.search(request as Parameters<Client['search']>[0]);
    const hits = res.body.hits.hits.map((h) => (h._source as Movie).title);
    assert.deepEqual(hits, ['Drive', 'Moneyball', 'Frozen', 'Solo']);
    const aggs = res.body.aggregations as { genres: { buckets: { key: string; doc_count: number }[] }; avg_year: { value: number } };
    assert.deepEqual(
      aggs.genres.buckets.map((b) => [b.key, b.doc_count]),
      [['animation', 1], ['crime', 1], ['drama', 1], ['scifi', 1]],
    );
    assert.equal(aggs.avg_year.value, (2011 + 2011 + 2013 + 2018) / 4);
  });

  it('scrolls through every document', async () => {
    const seen: string[] = [];
    let res = await client.search({ index: 'movies', scroll: '1m', size: 2, body: { sort: ['_doc'] } });
    while (res.body.hits.hits.length > 0) {
      seen.push(...res.body.hits.hits.map((h) => String(h._id)));
      res = await client.scroll({ scroll_id: res.body._scroll_id!, scroll: '1m' });
    }
    assert.equal(seen.length, MOVIES.length + 1);
    assert.equal(new Set(seen).size, seen.length);
    await client.clearScroll({ scroll_id: res.body._scroll_id! });
  });

  it('mgets and deletes', async () => {
    const mget = await client.mget({ index: 'movies', body: { ids: ['drive', 'missing'] } });
    const docs = mget.body.docs as { _id: string; found: boolean }[];
    assert.deepEqual(docs.map((d) => [d._id, d.found]), [['drive', true], ['missing', false]]);
    const del = await client.delete({ index: 'movies', id: 'drive', refresh: true });
    assert.equal(del.body.result, 'deleted');
    const count = await client.count({ index: 'movies' });
    assert.equal(count.body.count, MOVIES.length);
  });
});
