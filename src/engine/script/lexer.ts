/** Tokenizer for the Painless subset. */
import { CompileFailure } from './errors.ts';

export type TokenType = 'num' | 'str' | 'id' | 'punct' | 'eof';

export interface Token {
  type: TokenType;
  /** Identifier name, punctuator, decoded string contents, or the number's source text. */
  value: string;
  pos: number;
  num?: number;
  /** For numbers: written as a floating-point literal (`1.5`, `2d`, `1e3`). */
  float?: boolean;
}

const PUNCTUATORS = [
  '>>>=', '===', '!==', '<<=', '>>=', '>>>',
  '?.', '?:', '->', '++', '--', '&&', '||', '==', '!=', '<=', '>=',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<', '>>',
  '{', '}', '(', ')', '[', ']', ';', ',', '.', ':', '?',
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '|', '^',
];

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdStart = (c: string): boolean => /[A-Za-z_$]/.test(c);
const isIdPart = (c: string): boolean => /[A-Za-z0-9_$]/.test(c);

class Lexer {
  private i = 0;
  private readonly out: Token[] = [];

  constructor(private readonly src: string) {}

  run(): Token[] {
    for (;;) {
      this.skipTrivia();
      if (this.i >= this.src.length) break;
      this.out.push(this.next());
    }
    this.out.push({ type: 'eof', value: '<EOF>', pos: this.src.length });
    return this.out;
  }

  private skipTrivia(): void {
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') this.i++;
      else if (s.startsWith('//', this.i)) this.skipTo('\n', 0);
      else if (s.startsWith('/*', this.i)) this.skipTo('*/', 2);
      else break;
    }
  }

  private skipTo(end: string, extra: number): void {
    const at = this.src.indexOf(end, this.i + 2);
    if (at < 0 && extra > 0) throw new CompileFailure(this.i, 'unterminated comment');
    this.i = at < 0 ? this.src.length : at + extra;
  }

  private next(): Token {
    const c = this.src[this.i];
    if (isDigit(c) || (c === '.' && isDigit(this.src[this.i + 1] ?? ''))) return this.number();
    if (c === '"' || c === "'") return this.string(c);
    if (isIdStart(c)) return this.identifier();
    for (const p of PUNCTUATORS) {
      if (this.src.startsWith(p, this.i)) {
        const tok: Token = { type: 'punct', value: p, pos: this.i };
        this.i += p.length;
        return tok;
      }
    }
    throw new CompileFailure(this.i, `unexpected character [${c}].`);
  }

  private identifier(): Token {
    const start = this.i;
    while (this.i < this.src.length && isIdPart(this.src[this.i])) this.i++;
    return { type: 'id', value: this.src.slice(start, this.i), pos: start };
  }

  private number(): Token {
    const start = this.i;
    const rest = this.src.slice(start);
    const hex = /^0[xX][0-9a-fA-F]+[lL]?/.exec(rest);
    if (hex) {
      this.i += hex[0].length;
      return { type: 'num', value: hex[0], pos: start, num: parseInt(hex[0].replace(/[lL]$/, ''), 16), float: false };
    }
    const m = /^(\d*\.?\d*(?:[eE][+-]?\d+)?)([lLfFdD]?)/.exec(rest);
    const text = m ? m[1] : '';
    const suffix = m ? m[2] : '';
    this.i += text.length + suffix.length;
    if (this.i < this.src.length && isIdPart(this.src[this.i])) {
      throw new CompileFailure(start, `invalid number [${this.src.slice(start, this.i + 1)}]`);
    }
    const float = /[.eE]/.test(text) || /[fFdD]/.test(suffix);
    return { type: 'num', value: text + suffix, pos: start, num: Number(text), float };
  }

  private string(quote: string): Token {
    const start = this.i++;
    let value = '';
    while (this.i < this.src.length && this.src[this.i] !== quote) {
      const c = this.src[this.i++];
      if (c !== '\\') {
        value += c;
        continue;
      }
      value += this.escape();
    }
    if (this.i >= this.src.length) throw new CompileFailure(start, 'unterminated string');
    this.i++;
    return { type: 'str', value, pos: start };
  }

  private escape(): string {
    const e = this.src[this.i++] ?? '';
    if (Object.hasOwn(ESCAPES, e)) return ESCAPES[e];
    if (e === 'u') {
      const hex = this.src.slice(this.i, this.i + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new CompileFailure(this.i, 'invalid unicode escape');
      this.i += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    return e;
  }
}

export function tokenize(source: string): Token[] {
  return new Lexer(source).run();
}
