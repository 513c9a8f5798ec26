/**
 * Lazily generated OpenSearch-shaped search responses for the scanner bench and memory tests:
 * an envelope, `hits` of a chosen size and a big `aggregations` sibling, produced chunk by chunk
 * so the whole body is never in memory.
 */

export interface SyntheticBodyOptions {
  /** Number of hits in hits.hits. */
  hits: number;
  /** Approximate serialized size of one hit. */
  hitBytes: number;
  /** Approximate size of the aggregations sibling (0 for none). */
  aggregationBytes: number;
  /** Size of the produced chunks (default 64 KiB). */
  chunkBytes?: number;
}

const DEFAULT_CHUNK = 64 * 1024;

/** Compact JSON of one hit; JSON.stringify(JSON.parse(x)) === x, so an identity rewrite keeps sizes. */
export function syntheticHit(i: number, hitBytes: number): string {
  const base = { _index: 'shared-logs', _id: `t1:doc-${i}`, _score: 1.5, _routing: 't1', _source: { _tenant: 't1', n: i, title: `title ${i} "quoted" é😀`, body: '' } };
  const pad = Math.max(0, hitBytes - JSON.stringify(base).length);
  base._source.body = 'lorem ipsum '.repeat(Math.ceil(pad / 12)).slice(0, pad);
  return JSON.stringify(base);
}

function* envelopeAndHits(options: SyntheticBodyOptions): Generator<string> {
  yield '{"took":12,"timed_out":false,"_shards":{"total":3,"successful":3,"skipped":0,"failed":0},';
  yield `"hits":{"total":{"value":${options.hits},"relation":"eq"},"max_score":1.5,"hits":[`;
  for (let i = 0; i < options.hits; i++) yield (i === 0 ? '' : ',') + syntheticHit(i, options.hitBytes);
  yield ']}';
}

/** One block of terms buckets, each followed by ','; repeated to build the aggregations array. */
function bucketBlock(targetBytes: number): Buffer {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const bucket = `{"key":"term-${String(i).padStart(6, '0')}","doc_count":${(i * 7919) % 100000},"avg_price":{"value":${(i % 1000) / 8}}},`;
    parts.push(bucket);
    size += bucket.length;
  }
  return Buffer.from(parts.join(''));
}

function* aggregations(totalBytes: number, chunkBytes: number): Generator<Buffer> {
  if (totalBytes <= 0) return;
  yield Buffer.from(',"aggregations":{"by_term":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[');
  const block = bucketBlock(chunkBytes);
  // Fresh copies, so memory measurements see real per-chunk allocations.
  for (let produced = 0; produced < totalBytes; produced += block.length) yield Buffer.from(block);
  yield Buffer.from('{"key":"last","doc_count":0}]}}');
}

/** The body as a lazy sequence of chunks (strings of the envelope are batched to ~chunkBytes). */
export function* syntheticSearchBody(options: SyntheticBodyOptions): Generator<Buffer> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK;
  let pending: string[] = [];
  let pendingBytes = 0;
  for (const part of envelopeAndHits(options)) {
    pending.push(part);
    pendingBytes += part.length;
    if (pendingBytes >= chunkBytes) {
      yield Buffer.from(pending.join(''));
      pending = [];
      pendingBytes = 0;
    }
  }
  if (pending.length > 0) yield Buffer.from(pending.join(''));
  yield* aggregations(options.aggregationBytes, chunkBytes);
  yield Buffer.from('}');
}
