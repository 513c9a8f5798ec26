/** Token cursor and lexical scopes shared by the expression and statement parsers. */
import { CompileFailure } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';

/** Type names accepted in declarations, casts, `instanceof` and typed loop variables. */
export const TYPE_NAMES = new Set([
  'def', 'var', 'int', 'long', 'short', 'byte', 'char', 'float', 'double', 'boolean',
  'Object', 'String', 'Number', 'Integer', 'Long', 'Short', 'Byte', 'Float', 'Double', 'Boolean',
  'Map', 'HashMap', 'LinkedHashMap', 'TreeMap', 'List', 'ArrayList', 'Collection', 'Iterable',
]);

export const FLOAT_TYPES = new Set(['float', 'double', 'Float', 'Double']);

const RESERVED = new Set(['ctx', 'params', 'true', 'false', 'null', 'new', 'if', 'else', 'for', 'while', 'do',
  'return', 'break', 'continue', 'throw', 'instanceof', 'in', 'try', 'catch']);

interface VarInfo {
  slot: number;
  float: boolean;
}

const MAX_DEPTH = 200;

export class Cursor {
  protected readonly tokens: Token[];
  protected i = 0;
  private readonly scopes: Array<Map<string, VarInfo>> = [new Map()];
  private slotCount = 0;
  private depth = 0;

  constructor(source: string) {
    this.tokens = tokenize(source);
  }

  get slots(): number {
    return this.slotCount;
  }

  protected peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
  }

  protected next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.i++;
    return t;
  }

  protected isPunct(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === 'punct' && t.value === value;
  }

  protected isWord(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === 'id' && t.value === value;
  }

  protected eat(value: string): boolean {
    if (!this.isPunct(value)) return false;
    this.i++;
    return true;
  }

  protected expect(value: string): Token {
    if (!this.isPunct(value)) throw this.unexpected();
    return this.next();
  }

  protected expectWord(value: string): Token {
    if (!this.isWord(value)) throw this.unexpected();
    return this.next();
  }

  protected identifier(): Token {
    const t = this.peek();
    if (t.type !== 'id' || RESERVED.has(t.value)) throw this.unexpected();
    return this.next();
  }

  protected isTypeName(ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === 'id' && TYPE_NAMES.has(t.value);
  }

  protected unexpected(): CompileFailure {
    const t = this.peek();
    return new CompileFailure(t.pos, `invalid sequence of tokens near ['${t.value}'].`);
  }

  /** Guards the recursive descent against stack exhaustion on absurdly nested input. */
  protected nested<T>(fn: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new CompileFailure(this.peek().pos, 'script is too deeply nested');
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  protected scoped<T>(fn: () => T): T {
    this.scopes.push(new Map());
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  protected declare(tok: Token, float: boolean): number {
    if (this.lookup(tok.value)) {
      throw new CompileFailure(tok.pos, `variable [${tok.value}] is already defined`);
    }
    const slot = this.slotCount++;
    this.scopes[this.scopes.length - 1].set(tok.value, { slot, float });
    return slot;
  }

  protected lookup(name: string): VarInfo | undefined {
    for (let s = this.scopes.length - 1; s >= 0; s--) {
      const v = this.scopes[s].get(name);
      if (v) return v;
    }
    return undefined;
  }
}
