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
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

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
  scalar(): Json | undefined {
    this.space();
    const c = this.s[this.i];
    if (c === QUOTE) {
      const at = this.string();
      return at === undefined ? undefined : this.s.toString('utf8', at[0], at[1]);
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
  const k = ACTION_BYTES.findIndex((b) => b.length === end - start && b.equals(s.subarray(start, end)));
  return k === -1 ? undefined : ACTIONS[k];
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
      const key = line.toString('utf8', at[0], at[1]);
      const value = r.scalar();
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
