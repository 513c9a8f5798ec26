import { EngineError } from '../../errors.ts';

/** How a clause takes part in its group (Lucene's BooleanClause.Occur). */
export type Occur = 'must' | 'should' | 'must_not';

export type QsNode =
  | { kind: 'group'; clauses: QsClause[]; boost?: number }
  | { kind: 'term'; field?: string; text: string; phrase: boolean; regex?: boolean; wildcard: boolean; fuzzy?: string; slop?: number; boost?: number }
  | { kind: 'range'; field?: string; lower?: string; upper?: string; includeLower: boolean; includeUpper: boolean; boost?: number };

export interface QsClause {
  occur: Occur;
  node: QsNode;
}

type Conj = 'and' | 'or' | undefined;
type Mod = 'req' | 'not' | undefined;

const SPECIAL = new Set([...'+-!(){}[]^"~:\\/ \t\r\n']);
const failure = (q: string, why: string): EngineError =>
  new EngineError(400, 'query_shard_exception', `Failed to parse query [${q}]`, { caused_by: { type: 'parse_exception', reason: why } });

/** A recursive-descent parser for the Lucene classic query syntax that query_string accepts. */
class Parser {
  private pos = 0;
  constructor(private readonly src: string, private readonly defaultAnd: boolean) {}

  parse(): QsNode {
    const node = this.query(undefined);
    this.skipSpace();
    if (this.pos < this.src.length) throw failure(this.src, `Cannot parse '${this.src}': Encountered "${this.src[this.pos]}" at column ${this.pos}`);
    return node;
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private peekWord(word: string): boolean {
    const end = this.pos + word.length;
    return this.src.startsWith(word, this.pos) && (end >= this.src.length || /[\s()]/.test(this.src[end]));
  }

  private query(field: string | undefined): QsNode {
    const clauses: QsClause[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.src.length || this.src[this.pos] === ')') break;
      const conj = this.conjunction();
      this.skipSpace();
      const mod = this.modifier();
      this.skipSpace();
      if (this.pos >= this.src.length) break;
      this.addClause(clauses, conj, mod, this.clause(field));
    }
    return { kind: 'group', clauses };
  }

  private conjunction(): Conj {
    if (this.peekWord('AND') || this.src.startsWith('&&', this.pos)) {
      this.pos += this.src.startsWith('&&', this.pos) ? 2 : 3;
      return 'and';
    }
    if (this.peekWord('OR') || this.src.startsWith('||', this.pos)) {
      this.pos += 2;
      return 'or';
    }
    return undefined;
  }

  private modifier(): Mod {
    const c = this.src[this.pos];
    if (c === '+') return (this.pos++, 'req');
    if (c === '-' || c === '!') return (this.pos++, 'not');
    if (this.peekWord('NOT')) return ((this.pos += 3), 'not');
    return undefined;
  }

  /** Lucene's QueryParserBase.addClause: conjunctions rewrite the previous clause's occur. */
  private addClause(clauses: QsClause[], conj: Conj, mod: Mod, node: QsNode): void {
    const prev = clauses[clauses.length - 1];
    if (prev !== undefined && conj === 'and' && prev.occur !== 'must_not') prev.occur = 'must';
    if (prev !== undefined && this.defaultAnd && conj === 'or' && prev.occur !== 'must_not') prev.occur = 'should';
    let occur: Occur;
    if (!this.defaultAnd) {
      const prohibited = mod === 'not';
      const required = mod === 'req' || (conj === 'and' && !prohibited);
      occur = prohibited ? 'must_not' : required ? 'must' : 'should';
    } else {
      const prohibited = mod === 'not';
      occur = prohibited ? 'must_not' : conj !== 'or' ? 'must' : 'should';
    }
    clauses.push({ occur, node });
  }

  private clause(field: string | undefined): QsNode {
    const start = this.pos;
    const word = this.src[this.pos] === '(' || this.src[this.pos] === '"' ? undefined : this.word();
    if (word !== undefined && this.src[this.pos] === ':' ) {
      this.pos++;
      return this.fieldClause(word.text);
    }
    this.pos = start;
    return this.value(field);
  }

  private fieldClause(field: string): QsNode {
    const c = this.src[this.pos];
    if (c === '>' || c === '<') return this.comparison(field);
    return this.value(field);
  }

  private value(field: string | undefined): QsNode {
    const c = this.src[this.pos];
    if (c === '(') {
      this.pos++;
      const group = this.query(field);
      if (this.src[this.pos] !== ')') throw failure(this.src, `Cannot parse '${this.src}': Encountered "<EOF>"`);
      this.pos++;
      return this.withBoost(group);
    }
    if (c === '"') return this.suffixes({ kind: 'term', field, text: this.quoted(), phrase: true, wildcard: false });
    if (c === '[' || c === '{') return this.withBoost(this.range(field));
    if (c === '/') return this.withBoost({ kind: 'term', field, text: this.delimited('/'), phrase: false, regex: true, wildcard: false });
    const w = this.word();
    if (w === undefined) throw failure(this.src, `Cannot parse '${this.src}': Encountered "${c ?? '<EOF>'}" at column ${this.pos}`);
    return this.suffixes({ kind: 'term', field, text: w.text, phrase: false, wildcard: w.wildcard });
  }

  private word(): { text: string; wildcard: boolean } | undefined {
    let text = '';
    let wildcard = false;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && this.pos + 1 < this.src.length) {
        text += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (SPECIAL.has(c) && !('-+!/'.includes(c) && text !== '')) break;
      if (c === '*' || c === '?') wildcard = true;
      text += c;
      this.pos++;
    }
    return text === '' ? undefined : { text, wildcard };
  }

  private quoted(): string {
    return this.delimited('"');
  }

  private delimited(quote: string): string {
    this.pos++;
    let text = '';
    while (this.pos < this.src.length && this.src[this.pos] !== quote) {
      if (this.src[this.pos] === '\\' && this.pos + 1 < this.src.length) this.pos++;
      text += this.src[this.pos++];
    }
    if (this.pos >= this.src.length) throw failure(this.src, `Cannot parse '${this.src}': Lexical error: unterminated ${quote}`);
    this.pos++;
    return text;
  }

  private number(): string {
    const m = /^[0-9.]*/.exec(this.src.slice(this.pos));
    const text = m?.[0] ?? '';
    this.pos += text.length;
    return text;
  }

  /** `~N` (fuzziness or slop) and `^N` (boost) after a term. */
  private suffixes(node: Extract<QsNode, { kind: 'term' }>): QsNode {
    for (;;) {
      const c = this.src[this.pos];
      if (c === '~') {
        this.pos++;
        const n = this.number();
        if (node.phrase) node.slop = n === '' ? 0 : Number(n);
        else node.fuzzy = n === '' ? 'AUTO' : n;
      } else if (c === '^') {
        this.pos++;
        node.boost = Number(this.number());
      } else return node;
    }
  }

  private withBoost<T extends QsNode>(node: T): T {
    if (this.src[this.pos] === '^') {
      this.pos++;
      node.boost = Number(this.number());
    }
    return node;
  }

  private range(field: string | undefined): QsNode {
    const includeLower = this.src[this.pos] === '[';
    const close = this.src.slice(this.pos).search(/[\]}]/);
    if (close < 0) throw failure(this.src, `Cannot parse '${this.src}': unterminated range`);
    const inner = this.src.slice(this.pos + 1, this.pos + close).trim();
    const includeUpper = this.src[this.pos + close] === ']';
    this.pos += close + 1;
    const parts = inner.split(/\s+TO\s+/);
    if (parts.length !== 2) throw failure(this.src, `Cannot parse '${this.src}': range needs TO`);
    const bound = (s: string): string | undefined => (s === '*' ? undefined : s.replace(/^"(.*)"$/, '$1'));
    return { kind: 'range', field, lower: bound(parts[0]), upper: bound(parts[1]), includeLower, includeUpper };
  }

  /** `field:>10`, `field:<=2020-01-01`. */
  private comparison(field: string): QsNode {
    const op = this.src.startsWith('>=', this.pos) || this.src.startsWith('<=', this.pos) ? this.src.slice(this.pos, this.pos + 2) : this.src[this.pos];
    this.pos += op.length;
    const value = this.src[this.pos] === '"' ? this.quoted() : (this.word()?.text ?? '');
    if (op.startsWith('>')) return { kind: 'range', field, lower: value, includeLower: op === '>=', includeUpper: true };
    return { kind: 'range', field, upper: value, includeLower: true, includeUpper: op === '<=' };
  }
}

/** Parses a query_string query into clause groups. */
export function parseQueryString(query: string, defaultAnd: boolean): QsNode {
  return new Parser(query, defaultAnd).parse();
}
