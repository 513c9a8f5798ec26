import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ENDPOINTS, ENDPOINT_NAMES } from '../../src/http/endpoints.ts';
import { casesOf, coveredPairs, runCase, startTwin, type Twin } from '../helpers/parity.ts';
import { READ_CASES } from './parity-read-cases.ts';
import { WRITE_CASES } from './parity-write-cases.ts';

/*
 * Every URL parameter an endpoint allows does through the proxy what it does on a cluster of the
 * tenant's own: each (endpoint, parameter) is sent to the embedded engine holding exactly the
 * tenant's indexes and through the proxy (the tenant in dedicated placement, another tenant on
 * the same upstream), and the answers must agree. A parameter that cannot work is not allowed.
 */

const TABLES = [...READ_CASES, ...WRITE_CASES];

describe('URL parameter parity: proxy vs the tenant’s own cluster', () => {
  let twin: Twin;

  before(async () => {
    twin = await startTwin();
    const mappings = { properties: { n: { type: 'integer' }, tag: { type: 'keyword' }, title: { type: 'text' } } };
    for (const index of ['orders', 'items']) await twin.both({ method: 'PUT', path: `/${index}`, body: { settings: { number_of_shards: 1 }, mappings } });
    const docs = [1, 2, 3, 4, 5].flatMap((i) => [{ index: { _index: 'orders', _id: String(i) } }, { n: i, tag: i % 2 === 0 ? 'b' : 'a', title: i < 3 ? 'x y' : 'x' }]);
    await twin.both({ method: 'POST', path: '/_bulk?refresh=true', body: [...docs, { index: { _index: 'items', _id: 'i1' } }, { n: 9 }], ndjson: true });
    // The other tenant, on the same upstream: same logical names, its own documents.
    const res = await twin.send('proxy', { method: 'POST', path: '/_bulk?refresh=true', body: [{ index: { _index: 'orders', _id: '1' } }, { n: 1000, tag: 'a' }], ndjson: true, headers: twin.stack.auth.globex });
    assert.equal(res.status, 200, res.text);
  });
  after(() => twin.close());

  it('has a case for every allowed parameter of every endpoint', () => {
    const covered = coveredPairs(TABLES);
    const allowed = ENDPOINT_NAMES.flatMap((name) => [...ENDPOINTS[name].params, 'pretty', 'human', 'error_trace', 'filter_path'].map((p) => `${name} ${p}`));
    assert.deepEqual(allowed.filter((pair) => !covered.has(pair)), []);
    assert.deepEqual([...covered].filter((pair) => !allowed.includes(pair)), [], 'no case for a parameter that is not allowed');
  });

  for (const table of TABLES) {
    describe(table.endpoint, () => {
      for (const { label, param, pc } of casesOf(table)) it(label, () => runCase(twin, table, param, pc, label));
    });
  }
});
