/**
 * The tenant's mapping and reserved names as bytes, for the byte-level document pass
 * (physical-bytes.ts): looked up by a document key's bytes, never by decoding the key.
 */
import type { JsonObject } from '../../core/json.ts';
import type { PhysicalNamer } from './physical-names.ts';

/** The reserved names as bytes, once per list; undefined when one is not well-formed Unicode (compared as text then). */
const reservedBytesOf = new WeakMap<readonly string[], Buffer[] | null>();

export function reservedBytes(names: readonly string[]): Buffer[] | undefined {
  let bytes = reservedBytesOf.get(names);
  if (bytes === undefined) {
    // A lone surrogate would encode as U+FFFD: bytes would then match a key the text does not.
    bytes = names.some((n) => /[\uD800-\uDFFF]/.test(n)) ? null : names.map((n) => Buffer.from(n));
    reservedBytesOf.set(names, bytes);
  }
  return bytes ?? undefined;
}

/**
 * A mapped key as bytes, found without decoding the document's key: the keys of one properties
 * object by byte length (dotted or not well-formed keys left out: a document key can only match
 * them on the general path). Its physical name as bytes once per namer and path.
 */
export interface MappedKey {
  bytes: Buffer;
  key: string;
  node: JsonObject;
  namer?: PhysicalNamer;
  prefix?: string;
  quoted?: Buffer;
  childPrefix?: string;
}

const keyIndexes = new WeakMap<Record<string, JsonObject>, Map<number, MappedKey[]>>();

export function keyIndex(props: Record<string, JsonObject>): Map<number, MappedKey[]> {
  let index = keyIndexes.get(props);
  if (index === undefined) {
    index = new Map();
    for (const key of Object.keys(props)) {
      if (key.includes('.') || /[\uD800-\uDFFF]/.test(key)) continue;
      const bytes = Buffer.from(key);
      let list = index.get(bytes.length);
      if (list === undefined) index.set(bytes.length, (list = []));
      list.push({ bytes, key, node: props[key] });
    }
    keyIndexes.set(props, index);
  }
  return index;
}
