import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { syntheticSearchBody, type SyntheticBodyOptions } from '../../src/bench/synthetic-search-body.ts';
import { createSearchResponseTransform } from '../../src/stream/search-response.ts';

const MiB = 1024 * 1024;

/** A real full GC even when node was started without --expose-gc (node:test spawns its own processes). */
function fullGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function liveBytes(): number {
  const m = process.memoryUsage();
  return m.arrayBuffers + m.heapUsed;
}

/** The body as a byte-mode Readable that pulls lazily and reports each produced chunk. */
function lazyBody(options: SyntheticBodyOptions, onChunk: (chunk: Buffer) => void): Readable {
  function* counted(): Generator<Buffer> {
    for (const chunk of syntheticSearchBody(options)) {
      onChunk(chunk);
      yield chunk;
    }
  }
  return Readable.from(counted(), { objectMode: false });
}

describe('streaming resources', () => {
  it('streams a 64 MiB response with a huge aggregations sibling in bounded memory', async () => {
    const gc = fullGc();
    gc();
    const baseline = liveBytes();
    let produced = 0;
    let nextSample = 0;
    let peakGrowth = 0;
    const body = lazyBody({ hits: 10, hitBytes: 2048, aggregationBytes: 64 * MiB }, (chunk) => {
      produced += chunk.length;
      if (produced < nextSample) return;
      nextSample += 4 * MiB;
      gc(); // measure what is retained, not garbage awaiting collection
      peakGrowth = Math.max(peakGrowth, liveBytes() - baseline);
    });
    let consumed = 0;
    let hits = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        consumed += chunk.length;
        cb();
      },
    });
    const transform = createSearchResponseTransform({ onHit: (hit) => (hits++, hit) });
    await pipeline(body, transform, sink);
    assert.equal(hits, 10);
    assert.ok(produced > 64 * MiB);
    assert.equal(consumed, produced, 'an identity rewrite keeps the byte count');
    assert.ok(peakGrowth < 16 * MiB, `live memory grew by ${(peakGrowth / MiB).toFixed(1)} MiB`);
  });

  it('pauses the upstream read when the client is slow (backpressure)', async () => {
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    const chunkBytes = 64 * 1024;
    const body = lazyBody({ hits: 20, hitBytes: 1024, aggregationBytes: 8 * MiB, chunkBytes }, (chunk) => {
      produced += chunk.length;
    });
    const slowClient = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        consumed += chunk.length;
        maxAhead = Math.max(maxAhead, produced - consumed);
        setTimeout(cb, 1);
      },
    });
    await pipeline(body, createSearchResponseTransform({ onHit: (hit) => hit }), slowClient);
    assert.equal(consumed, produced);
    // Source, transform (both sides) and client buffers each hold about one chunk; never the body.
    assert.ok(maxAhead <= 8 * chunkBytes, `producer ran ${(maxAhead / 1024).toFixed(0)} KiB ahead of the client`);
  });
});
