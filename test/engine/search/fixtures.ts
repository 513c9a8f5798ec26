import type { JsonObject } from '../../../src/engine/json.ts';
import type { Mappings } from '../../../src/engine/mapping/types.ts';
import type { SearchableDoc, SearchableIndex } from '../../../src/engine/search/types.ts';

/** An in-memory index: one shard, docs in the given order, ids "1", "2", ... unless `_id` is set. */
export function makeIndex(name: string, properties: Mappings['properties'], sources: JsonObject[]): SearchableIndex {
  const docs: SearchableDoc[] = sources.map((raw, order) => {
    const { _id, ...source } = raw;
    return { index: name, id: typeof _id === 'string' ? _id : String(order + 1), source, version: 1, seqNo: order, primaryTerm: 1, shard: 0, order };
  });
  return { name, mappings: { properties }, docs };
}

export const TEXT_WITH_KEYWORD = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } as const;

/** The movies used by several tests. */
export function movies(): SearchableIndex {
  return makeIndex(
    'movies',
    { title: { ...TEXT_WITH_KEYWORD, fields: { keyword: { type: 'keyword' } } }, director: TEXT_WITH_KEYWORD, year: { type: 'integer' }, genre: { type: 'keyword' }, released: { type: 'date' }, rating: { type: 'float' }, available: { type: 'boolean' } },
    [
      { title: 'The Lion King', director: 'Roger Allers', year: 1994, genre: 'animation', released: '1994-06-24', rating: 8.5, available: true },
      { title: 'The Lion King', director: 'Jon Favreau', year: 2019, genre: 'animation', released: '2019-07-19', rating: 6.8, available: false },
      { title: 'Frozen', director: 'Chris Buck', year: 2013, genre: 'animation', released: '2013-11-27', rating: 7.4, available: true },
      { title: 'Moneyball', director: 'Bennett Miller', year: 2011, genre: 'drama', released: '2011-09-23', rating: 7.6 },
      { title: 'Drive', director: 'Nicolas Winding Refn', year: 2011, genre: 'crime', released: '2011-09-16', rating: 7.8, available: true },
    ],
  );
}
