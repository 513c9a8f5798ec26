/**
 * The common `_bulk` action line — `{"index":{"_index":"x","_id":"1"}}`: one action whose metadata
 * values are plain strings (no escapes), numbers, booleans or null — parsed from its bytes, with
 * no JSON.parse and no string of the line. Anything else (escapes, nested values, an unknown
 * action, a `__proto__` key, a malformed line, a BOM…) answers undefined and parseAction decides,
 * with its own errors. The line must be valid UTF-8 (checked before).
 */
import { CLOSE_OBJECT, COLON, COMMA, isJsonSpace, OPEN_OBJECT, QUOTE } from '../core/json-chars.ts';
import type { Json, JsonObject } from '../core/json.ts';
import { ACTIONS, type Action, type ParsedAction } from './bulk-parse.ts';

const ACTION_BYTES = ACTIONS.map((a) => Buffer.from(a));
/** Metadata keys a line usually has, so that their strings are not decoded line after line. */
const KNOWN_KEYS = ['_index', '_id', 'routing', 'retry_on_conflict', 'if_seq_no', 'if_primary_term', 'version', 'version_type', '_source'];
const KNOWN_KEY_BYTES = KNOWN_KEYS.map((k) => Buffer.from(k));
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function sameBytes(s: Buffer, start: number, end: number, b: Buffer): boolean {
  if (end - start !== b.length) return false;
  for (let k = 0; k < b.length; k++) if (s[start + k] !== b[k]) return false;
  return true;
}

/** The last `_index` value read, as bytes and text: consecutive lines mostly name the same index. */
let lastIndex: { bytes: Buffer; text: string } | undefined;

function indexName(s: Buffer, start: number, end: number): string {
  if (lastIndex !== undefined && sameBytes(s, start, end, lastIndex.bytes)) return lastIndex.text;
  const text = s.toString('utf8', start, end);
  if (end - start <= 256) lastIndex = { bytes: Buffer.from(s.subarray(start, end)), text };
  return text;
}

class ActionReader {
  i = 0;

  constructor(private readonly s: Buffer) {}

  space(): void {
    while (this.i < this.s.length && isJsonSpace(this.s[this.i])) this.i++;
  }

  /** Consumes byte `c` (after whitespace); false when it is not there. */
  take(c: number): boolean {
    this.space();
    if (this.s[this.i] !== c) return false;
    this.i++;
    return true;
  }

  /** The string at `i` as [start, end) of its content; undefined when it has an escape or a control byte. */
  string(): [number, number] | undefined {
    if (!this.take(QUOTE)) return undefined;
    const start = this.i;
    const s = this.s;
    for (let j = start; j < s.length; j++) {
      const c = s[j];
      if (c === QUOTE) {
        this.i = j + 1;
        return [start, j];
      }
      if (c === 0x5c || c < 0x20) return undefined;
    }
    return undefined;
  }

  /** A scalar value: a plain string, a number, true, false or null; undefined for anything else. */
  scalar(isIndex: boolean): Json | undefined {
    this.space();
    const c = this.s[this.i];
    if (c === QUOTE) {
      const at = this.string();
      if (at === undefined) return undefined;
      return isIndex ? indexName(this.s, at[0], at[1]) : this.s.toString('utf8', at[0], at[1]);
    }
    let j = this.i;
    while (j < this.s.length && !isJsonSpace(this.s[j]) && this.s[j] !== COMMA && this.s[j] !== CLOSE_OBJECT) j++;
    const word = this.s.toString('latin1', this.i, j);
    this.i = j;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return NUMBER.test(word) ? Number(word) : undefined;
  }
}

function actionAt(s: Buffer, [start, end]: [number, number]): Action | undefined {
  const k = ACTION_BYTES.findIndex((b) => sameBytes(s, start, end, b));
  return k === -1 ? undefined : ACTIONS[k];
}

function keyAt(s: Buffer, [start, end]: [number, number]): string {
  const k = KNOWN_KEY_BYTES.findIndex((b) => sameBytes(s, start, end, b));
  return k === -1 ? s.toString('utf8', start, end) : KNOWN_KEYS[k];
}

/** The action line parsed as parseAction would parse it, or undefined when parseAction must decide. */
export function quickAction(line: Buffer, lineNo: number): ParsedAction | undefined {
  const r = new ActionReader(line);
  if (!r.take(OPEN_OBJECT)) return undefined;
  const name = r.string();
  const action = name === undefined ? undefined : actionAt(line, name);
  if (action === undefined || !r.take(COLON) || !r.take(OPEN_OBJECT)) return undefined;
  const meta: JsonObject = {};
  if (!r.take(CLOSE_OBJECT)) {
    for (;;) {
      const at = r.string();
      if (at === undefined || !r.take(COLON)) return undefined;
      const key = keyAt(line, at);
      const value = r.scalar(key === '_index');
      if (value === undefined || key === '__proto__') return undefined;
      meta[key] = value;
      if (r.take(CLOSE_OBJECT)) break;
      if (!r.take(COMMA)) return undefined;
    }
  }
  if (!r.take(CLOSE_OBJECT)) return undefined;
  r.space();
  return r.i === line.length ? { action, meta, lineNo } : undefined;
}
