/**
 * The smoke benchmark's data set: ~1 KiB documents with a text `body` drawn from a 1,024-word
 * vocabulary (so a one-word `match` hits a fraction of the corpus, not all of it), and the names
 * the proxy gives them at the physical level under shared placement (SPEC §4.2).
 */

const SYLLABLES = ['ka', 'lo', 'mi', 'nu', 'pe', 'ra', 'si', 'to', 've', 'za', 'bo', 'da', 'fi', 'gu', 'he', 'ju',
  'ke', 'la', 'mo', 'ni', 'pu', 're', 'so', 'ti', 'va', 'zo', 'be', 'di', 'fo', 'ga', 'hi', 'jo'];
const VOCABULARY = SYLLABLES.flatMap((a) => SYLLABLES.map((b) => a + b));
const BODY_CHARS = 900;

export const TENANT = 'bench';
export const LOGICAL_INDEX = 'smoke';
export const PHYSICAL_INDEX = `osproxy-shared-${LOGICAL_INDEX}`;

/** Deterministic word `k` of document `i` (a small multiplicative hash, no state). */
function wordAt(i: number, k: number): string {
  const h = Math.imul(i * 7_919 + k * 104_729 + 1, 2_654_435_761) >>> 0;
  return VOCABULARY[h % VOCABULARY.length];
}

export interface SmokeDoc {
  title: string;
  n: number;
  tag: string;
  body: string;
}

/** Document `i` (~1 KiB as JSON); the same `i` always gives the same document. */
export function smokeDoc(i: number): SmokeDoc {
  const words: string[] = [];
  let length = 0;
  for (let k = 0; length < BODY_CHARS; k++) {
    const w = wordAt(i, k);
    words.push(w);
    length += w.length + 1;
  }
  return { title: `document ${i}`, n: i, tag: VOCABULARY[i % VOCABULARY.length], body: words.join(' ') };
}

/** The query term of search number `i`, cycling through the vocabulary. */
export function searchWord(i: number): string {
  return VOCABULARY[(i * 37) % VOCABULARY.length];
}

/** The client-level query both sides run; the direct side wraps it the way the proxy would. */
export function smokeQuery(i: number): Record<string, unknown> {
  return { match: { body: searchWord(i) } };
}

/** The shared-placement physical id of logical id `id`. */
export function physicalId(id: string | number): string {
  return `${TENANT}:${LOGICAL_INDEX}:${id}`;
}

/** Document `i` as stored physically: with the reserved `_tenant` and `_lindex` fields. */
export function physicalDoc(i: number): Record<string, unknown> {
  return { ...smokeDoc(i), _tenant: TENANT, _lindex: LOGICAL_INDEX };
}

/** The search body the proxy sends upstream for `query` (tenant and logical-index filters). */
export function wrappedSearch(query: Record<string, unknown>, size: number): Record<string, unknown> {
  return {
    query: { bool: { must: [query], filter: [{ term: { _tenant: TENANT } }, { terms: { _lindex: [LOGICAL_INDEX] } }] } },
    size,
  };
}
