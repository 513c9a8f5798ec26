/**
 * The benchmark's documents: deterministic JSON of a chosen size whose `body` text is drawn from a
 * 1,024-word vocabulary (a one-word `match` hits a fraction of small documents), plus their
 * shared-placement physical form — built with the proxy's own naming and field functions, so the
 * direct baseline asks the upstream exactly what the proxy would.
 */
import type { JsonObject } from '../core/json.ts';
import { encodeId } from '../tenancy/id-codec.ts';
import { inferNewFields } from '../tenancy/mapping/infer-fields.ts';
import { emptyMapping, fromStored, mappingJson } from '../tenancy/mapping/logical-mapping.ts';
import { mergeLogicalMapping } from '../tenancy/mapping/merge-mapping.ts';
import { namerFor } from '../tenancy/mapping/physical-names.ts';
import { resolveTarget, type Target, type TargetFields } from '../tenancy/names.ts';
import { DEFAULT_RESERVED_FIELDS } from '../tenancy/reserved-fields.ts';

const SYLLABLES = ['ka', 'lo', 'mi', 'nu', 'pe', 'ra', 'si', 'to', 've', 'za', 'bo', 'da', 'fi', 'gu', 'he', 'ju',
  'ke', 'la', 'mo', 'ni', 'pu', 're', 'so', 'ti', 'va', 'zo', 'be', 'di', 'fo', 'ga', 'hi', 'jo'];
const VOCABULARY = SYLLABLES.flatMap((a) => SYLLABLES.map((b) => a + b));
/** Corpus bytes are capped so that 64 KiB documents still load in seconds. */
const CORPUS_BYTES = 16 * 1024 * 1024;
const MIN_DOCS = 200;
const MAX_DOCS = 5_000;

export const BENCH_TENANT = 'bench';
export const BENCH_INDEX = 'bench-docs';

/** Deterministic word `k` of document `i` (a multiplicative hash, no state). */
function wordAt(i: number, k: number): string {
  const h = Math.imul(i * 7_919 + k * 104_729 + 1, 2_654_435_761) >>> 0;
  return VOCABULARY[h % VOCABULARY.length];
}

function bodyText(i: number, chars: number): string {
  const words: string[] = [];
  let length = 0;
  for (let k = 0; length < chars; k++) {
    const w = wordAt(i, k);
    words.push(w);
    length += w.length + 1;
  }
  return words.join(' ');
}

/** Document `i` as the tenant writes it, about `size` bytes of JSON. */
export function benchDoc(i: number, size: number): Record<string, string | number> {
  const head = { title: `document ${i}`, n: i, tag: VOCABULARY[i % VOCABULARY.length] };
  const overhead = JSON.stringify({ ...head, body: '' }).length;
  return { ...head, body: bodyText(i, Math.max(8, size - overhead)) };
}

/** The query term of search number `i`, cycling through the vocabulary. */
export function searchWord(i: number): string {
  return VOCABULARY[(i * 37) % VOCABULARY.length];
}

/** How many documents the corpus holds for a document size. */
export function corpusSize(docSize: number): number {
  return Math.max(MIN_DOCS, Math.min(MAX_DOCS, Math.floor(CORPUS_BYTES / docSize)));
}

/**
 * The tenant's fields as the proxy records them for the corpus: the mapping dynamic mapping infers
 * from a document (every document has the same fields), stored and read back as the fleet store
 * does, and the tenant's physical names for it (shared placement gives each tenant its own).
 */
function corpusFields(doc: JsonObject): TargetFields {
  const inferred = inferNewFields(doc, emptyMapping()) ?? emptyMapping();
  return { mapping: fromStored(mappingJson(mergeLogicalMapping(emptyMapping(), inferred))), namer: namerFor(BENCH_TENANT) };
}

/** A document as the proxy stores it: keys under the tenant's physical names, then the reserved fields. */
function physicalDoc(doc: JsonObject, fields: TargetFields, id: string): JsonObject {
  const r = DEFAULT_RESERVED_FIELDS;
  return { ...fields.namer.document(doc, fields.mapping), [r.tenant]: BENCH_TENANT, [r.lindex]: BENCH_INDEX, ...(r.id === undefined ? {} : { [r.id]: id }), ...(r.epoch === undefined ? {} : { [r.epoch]: 0 }) };
}

/** The corpus serialised once, both as the tenant sends it and as the proxy stores it. */
export class Corpus {
  readonly target: Target;
  readonly logical: string[] = [];
  readonly physical: string[] = [];
  readonly physicalIds: string[] = [];

  constructor(readonly docs: number, readonly docSize: number) {
    const fields = corpusFields(benchDoc(0, docSize));
    this.target = { ...resolveTarget(BENCH_TENANT, BENCH_INDEX, { kind: 'shared' }), fields };
    for (let i = 0; i < docs; i++) {
      const doc = benchDoc(i, docSize);
      this.logical.push(JSON.stringify(doc));
      this.physical.push(JSON.stringify(physicalDoc(doc, fields, String(i))));
      this.physicalIds.push(encodeId(this.target, BENCH_TENANT, String(i)));
    }
  }
}
