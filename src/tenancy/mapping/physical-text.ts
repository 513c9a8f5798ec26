/**
 * A document's text with its keys renamed to the tenant's physical names and the reserved fields
 * appended, without building and re-serialising an object tree: the common case on the write
 * path, where every key is already in the tenant's logical mapping. Anything else — a key the
 * mapping lacks, a dotted or escaped key — answers undefined, and the caller takes the general
 * path (infer, map, rename the parsed object). The text must be JSON that JSON.parse accepted,
 * with an object at the top, nested no deeper than MAX_JSON_DEPTH (checked before).
 */
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COMMA, isJsonSpace as isSpace, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from '../../core/json-chars.ts';
import { isObject, type JsonObject } from '../../core/json.ts';
import { isObjectNode } from './logical-mapping.ts';
import type { PhysicalNamer } from './physical-names.ts';

/** Thrown inside the scan when the general path is needed (never escapes this module). */
const GENERAL_PATH = Symbol('general path');

class KeyRenamer {
  private i = 0;
  private last = 0;
  private out = '';

  constructor(
    private readonly s: string,
    private readonly namer: PhysicalNamer,
  ) {}

  /** The renamed text with `tail` (`"k":v,…`) added as the top object's last members. */
  run(props: Record<string, JsonObject>, tail: string): string {
    this.space();
    if (this.s.charCodeAt(this.i) !== OPEN_OBJECT) throw GENERAL_PATH;
    const empty = !this.object(props, '');
    const close = this.i - 1;
    return `${this.out}${this.s.slice(this.last, close)}${empty ? '' : ','}${tail}}`;
  }

  private space(): void {
    while (this.i < this.s.length && isSpace(this.s.charCodeAt(this.i))) this.i++;
  }

  /** Index of the quote closing the string that opens at `open`. */
  private stringEnd(open: number): number {
    let j = open;
    for (;;) {
      j = this.s.indexOf('"', j + 1);
      let k = j - 1;
      while (this.s.charCodeAt(k) === BACKSLASH) k--;
      if ((j - 1 - k) % 2 === 0) return j;
    }
  }

  /** An object whose keys are renamed; true when it has members. At entry `i` is on `{`. */
  private object(props: Record<string, JsonObject>, prefix: string): boolean {
    this.i++;
    this.space();
    if (this.s.charCodeAt(this.i) === CLOSE_OBJECT) {
      this.i++;
      return false;
    }
    for (;;) {
      this.space();
      this.member(props, prefix);
      this.space();
      if (this.s.charCodeAt(this.i++) === COMMA) continue;
      return true;
    }
  }

  private member(props: Record<string, JsonObject>, prefix: string): void {
    const open = this.i;
    const close = this.stringEnd(open);
    const key = this.s.slice(open + 1, close);
    if (key.includes('\\') || key.includes('.') || !Object.hasOwn(props, key)) throw GENERAL_PATH;
    const node = props[key];
    this.out += this.s.slice(this.last, open) + this.namer.quoted(key, prefix, node);
    this.last = close + 1;
    this.i = close + 1;
    this.space();
    this.i++; // the colon
    this.space();
    if (!isObjectNode(node) || node.enabled === false) return this.skipValue();
    const child = (isObject(node.properties) ? node.properties : {}) as Record<string, JsonObject>;
    this.objectValue(child, `${prefix}${key}.`);
  }

  /** The value of an object field: an object, an array of them, or anything else (as it is). */
  private objectValue(props: Record<string, JsonObject>, prefix: string): void {
    const c = this.s.charCodeAt(this.i);
    if (c === OPEN_OBJECT) this.object(props, prefix);
    else if (c === OPEN_ARRAY) this.array(props, prefix);
    else this.skipValue();
  }

  private array(props: Record<string, JsonObject>, prefix: string): void {
    this.i++;
    this.space();
    if (this.s.charCodeAt(this.i) === CLOSE_ARRAY) {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      this.objectValue(props, prefix);
      this.space();
      if (this.s.charCodeAt(this.i++) === COMMA) continue;
      return;
    }
  }

  /** Any value, copied as it is. */
  private skipValue(): void {
    const c = this.s.charCodeAt(this.i);
    if (c === QUOTE) {
      this.i = this.stringEnd(this.i) + 1;
      return;
    }
    if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
      while (this.i < this.s.length) {
        const d = this.s.charCodeAt(this.i);
        if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isSpace(d)) return;
        this.i++;
      }
      return;
    }
    let depth = 0;
    do {
      const d = this.s.charCodeAt(this.i);
      if (d === QUOTE) this.i = this.stringEnd(this.i);
      else if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
      else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) depth--;
      this.i++;
    } while (depth > 0);
  }
}

/**
 * `text` with every key renamed (the mapping has them all) and `tail` — reserved fields as
 * `"k":v,…` — appended; undefined when the general path is needed.
 */
export function renamedDocumentText(text: string, props: Record<string, JsonObject>, namer: PhysicalNamer, tail: string): string | undefined {
  try {
    return new KeyRenamer(text, namer).run(props, tail);
  } catch (e) {
    if (e === GENERAL_PATH) return undefined;
    throw e;
  }
}
