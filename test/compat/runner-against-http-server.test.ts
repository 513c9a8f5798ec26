import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReport, runStories, type ChapterResult, type CompatResult } from '../../src/compat/index.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A tiny fake OpenSearch answering a few fixed routes; records every request it sees. */
function fakeServer(seen: Seen[]): Server {
  const routes: Record<string, (body: string) => [number, unknown, string?]> = {
    'PUT /movies': () => [200, { acknowledged: true, index: 'movies' }],
    'POST /_bulk?refresh=true': () => [200, { errors: false, items: [] }],
    'GET /movies/_search?scroll=10m': () => [200, { _scroll_id: 'SCROLL=1', hits: { total: { value: 2 }, hits: [{ _id: 'a' }] } }],
    'POST /_search/scroll/SCROLL%3D1': () => [200, { hits: { hits: [{ _id: 'b', _score: 1 }] } }],
    'GET /_count': () => [200, { count: 2, _shards: { total: 1 } }],
    'GET /_cat/health': () => [200, 'green\n', 'text/plain; charset=UTF-8'],
    'DELETE /movies': () => [200, { acknowledged: true }],
  };
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const route = routes[`${req.method} ${req.url}`];
      const [status, payload, type] = route ? route(body) : [404, { error: { type: 'not_found', reason: `no route ${req.url}` }, status: 404 }];
      res.writeHead(status, { 'content-type': type ?? 'application/json; charset=UTF-8' });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    });
  });
}

const STORIES: Record<string, string> = {
  'core/scroll.yaml': `
description: Scroll and count.
prologues:
  - path: /movies
    method: PUT
  - path: /_bulk
    method: POST
    parameters: {refresh: true}
    request:
      content_type: application/x-ndjson
      payload:
        - {create: {_index: movies}}
        - {title: Drive}
  - id: scroll
    path: /movies/_search
    method: GET
    parameters: {scroll: 10m}
    request: {payload: {size: 1}}
    output: {scroll_id: payload._scroll_id}
epilogues:
  - path: /_search/scroll/_all
    method: DELETE
  - path: /movies
    method: DELETE
    status: [200, 404]
chapters:
  - synopsis: Count documents.
    path: /_count
    method: GET
    response: {status: 200, payload: {count: 2}}
  - synopsis: Next page.
    path: /_search/scroll/{scroll_id}
    method: POST
    parameters: {scroll_id: '\${scroll.scroll_id}'}
    response: {status: 200, payload: {hits: {hits: [{_id: b}]}}}
  - synopsis: Count with a wrong expectation.
    path: /_count
    method: GET
    response: {status: 200, payload: {count: 3, _shards: {total: 1}}}
  - synopsis: Only before 2.0.
    path: /_count
    method: GET
    version: < 2.0
  - synopsis: Listed as known to fail.
    path: /_nowhere
    method: GET
  - synopsis: Not written yet.
    pending: Needs a plugin.
    path: /_nowhere
    method: GET
  - synopsis: Cat health as text.
    path: /_cat/health
    method: GET
    response: {status: 200, content_type: text/plain, payload: "green\\n"}
  - synopsis: Missing route.
    path: /_nowhere
    method: GET
`,
  'core/broken-prologue.yaml': `
description: Prologue fails.
prologues:
  - path: /_missing
    method: PUT
epilogues:
  - path: /movies
    method: DELETE
chapters:
  - synopsis: First.
    path: /_count
    method: GET
  - synopsis: Second.
    path: /_count
    method: GET
`,
  'gated/serverless.yaml': `
description: Serverless only.
distributions: {included: [amazon-serverless]}
chapters:
  - {synopsis: Anything., path: /_count, method: GET}
`,
  'invalid.yaml': 'description: No chapters.\n',
};

async function writeStories(dir: string): Promise<void> {
  for (const [rel, text] of Object.entries(STORIES)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
}

function chapter(result: CompatResult, story: string, synopsis: string): ChapterResult {
  const found = result.chapters.find((c) => c.story === story && c.synopsis === synopsis);
  assert.ok(found, `no result for ${story} › ${synopsis}`);
  return found;
}

describe('runStories against a real HTTP server', () => {
  const seen: Seen[] = [];
  const server = fakeServer(seen);
  let dir: string;
  let baseUrl: string;
  let result: CompatResult;
  const streamed: ChapterResult[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compat-stories-'));
    await writeStories(dir);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    result = await runStories({
      baseUrl,
      storiesDir: dir,
      headers: { authorization: 'Bearer tenant-a' },
      skip: { 'core/scroll.yaml#Listed as known to fail.': 'no such API in the engine' },
      onChapter: (r) => streamed.push(r),
    });
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('passes chapters whose status and partial payload match, including saved outputs', () => {
    assert.equal(chapter(result, 'core/scroll.yaml', 'Count documents.').status, 'pass');
    assert.equal(chapter(result, 'core/scroll.yaml', 'Next page.').status, 'pass');
    assert.equal(chapter(result, 'core/scroll.yaml', 'Cat health as text.').status, 'pass');
  });

  it('fails a mismatching chapter with a path-level diff', () => {
    const r = chapter(result, 'core/scroll.yaml', 'Count with a wrong expectation.');
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.diff, ['count: expected 3, got 2']);
    const missing = chapter(result, 'core/scroll.yaml', 'Missing route.');
    assert.deepEqual(missing.diff, ['status: expected 200, got 404 (not_found: no route /_nowhere)']);
  });

  it('skips version-gated, skip-listed, pending and distribution-gated chapters with reasons', () => {
    assert.deepEqual(
      ['Only before 2.0.', 'Listed as known to fail.', 'Not written yet.'].map((s) => {
        const r = chapter(result, 'core/scroll.yaml', s);
        return [r.status, r.reason];
      }),
      [
        ['skip', 'version 2.17.0 does not satisfy < 2.0'],
        ['skip', 'no such API in the engine'],
        ['skip', 'pending: Needs a plugin.'],
      ],
    );
    const gated = chapter(result, 'gated/serverless.yaml', 'Anything.');
    assert.equal(gated.status, 'skip');
    assert.match(gated.reason ?? '', /distribution opensearch.org is not in \[amazon-serverless\]/);
  });

  it('fails every chapter of a story whose prologue fails, with the reason', () => {
    for (const synopsis of ['First.', 'Second.']) {
      const r = chapter(result, 'core/broken-prologue.yaml', synopsis);
      assert.equal(r.status, 'fail');
      assert.match(r.reason ?? '', /^prologue PUT \/_missing failed: status: expected \[200,201\], got 404/);
    }
    // No chapter request went out: right after the failed prologue comes the epilogue.
    const failed = seen.findIndex((s) => s.url === '/_missing');
    assert.deepEqual([seen[failed + 1].method, seen[failed + 1].url], ['DELETE', '/movies']);
  });

  it('always runs epilogues and reports their failures as warnings only', () => {
    const deletes = seen.filter((s) => s.method === 'DELETE' && s.url === '/movies');
    assert.equal(deletes.length, 2, 'both stories cleaned up, even the one whose prologue failed');
    assert.deepEqual(result.warnings.map((w) => [w.story, w.message]), [
      ['core/scroll.yaml', 'epilogue DELETE /_search/scroll/_all: status: expected [200,201], got 404 (not_found: no route /_search/scroll/_all)'],
    ]);
  });

  it('reports an invalid story file as a failure', () => {
    const r = chapter(result, 'invalid.yaml', '(story file)');
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.diff, ['story: "chapters" must be a list']);
  });

  it('sends the extra headers with every request, and NDJSON bodies as such', () => {
    assert.ok(seen.length > 0);
    assert.ok(seen.every((s) => s.headers.authorization === 'Bearer tenant-a'));
    const bulk = seen.find((s) => s.url.startsWith('/_bulk'));
    assert.equal(bulk?.headers['content-type'], 'application/x-ndjson');
    assert.equal(bulk?.body, '{"create":{"_index":"movies"}}\n{"title":"Drive"}\n');
  });

  it('totals the chapters, streams each one, and formats a report', () => {
    assert.deepEqual(result.totals, { passed: 3, failed: 5, skipped: 4 });
    assert.equal(streamed.length, result.chapters.length);
    const report = formatReport(result);
    assert.match(report, /^PASS core\/scroll.yaml › Count documents\. \(\d+ ms\)$/m);
    assert.match(report, /^FAIL core\/scroll.yaml › Count with a wrong expectation\. — GET \/_count\n {4}count: expected 3, got 2$/m);
    assert.match(report, /^SKIP core\/scroll.yaml › Only before 2\.0\. \(version 2\.17\.0 does not satisfy < 2\.0\)$/m);
    assert.match(report, /^WARN core\/scroll.yaml › epilogue DELETE/m);
    assert.match(report, /compat: 3 passed, 5 failed, 4 skipped$/);
  });

  it('runs only the stories whose path contains the filter', async () => {
    const filtered = await runStories({ baseUrl, storiesDir: dir, filter: 'gated/' });
    assert.deepEqual(filtered.chapters.map((c) => c.story), ['gated/serverless.yaml']);
  });
});
