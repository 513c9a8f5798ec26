import type { Occur, QsClause, QsNode } from './query-string-parser.ts';

/**
 * Parses simple_query_string syntax (`+` and, `|` or, `-` not, `"phrase"~N`, `prefix*`, `term~N`,
 * parentheses) into the same clause groups as query_string. It never fails: stray characters are
 * taken as text, as OpenSearch does.
 */
export function parseSimpleQueryString(src: string, defaultAnd: boolean): QsNode {
  let pos = 0;
  const group = (): QsNode => {
    const clauses: QsClause[] = [];
    let conj: 'and' | 'or' | undefined;
    while (pos < src.length && src[pos] !== ')') {
      const c = src[pos];
      if (/\s/.test(c)) pos++;
      else if (c === '|') [conj, pos] = ['or', pos + 1];
      else if (c === '+') [conj, pos] = ['and', pos + 1];
      else {
        let negated = false;
        while (src[pos] === '-') [negated, pos] = [!negated, pos + 1];
        const node = item();
        if (node === undefined) continue;
        add(clauses, conj, negated ? { kind: 'group', clauses: [{ occur: 'must_not', node }] } : node);
        conj = undefined;
      }
    }
    return { kind: 'group', clauses };
  };
  const add = (clauses: QsClause[], conj: 'and' | 'or' | undefined, node: QsNode): void => {
    const and = conj === 'and' || (conj === undefined && defaultAnd);
    const prev = clauses[clauses.length - 1];
    if (prev !== undefined && and) prev.occur = 'must';
    const occur: Occur = and ? 'must' : 'should';
    clauses.push({ occur, node });
  };
  const item = (): QsNode | undefined => {
    if (src[pos] === '(') {
      pos++;
      const g = group();
      pos++;
      return g;
    }
    if (src[pos] === '"') {
      const end = src.indexOf('"', pos + 1);
      const text = src.slice(pos + 1, end < 0 ? src.length : end);
      pos = end < 0 ? src.length : end + 1;
      const node: QsNode = { kind: 'term', text, phrase: true, wildcard: false };
      const slop = /^~(\d+)/.exec(src.slice(pos));
      if (slop !== null) [node.slop, pos] = [Number(slop[1]), pos + slop[0].length];
      return node;
    }
    const m = /^[^\s()|+"]+/.exec(src.slice(pos));
    if (m === null) return (pos++, undefined);
    pos += m[0].length;
    return termNode(m[0]);
  };
  return group();
}

function termNode(raw: string): QsNode | undefined {
  const fuzzy = /~(\d*)$/.exec(raw);
  const text = fuzzy === null ? raw : raw.slice(0, fuzzy.index);
  if (text === '') return undefined;
  const node: QsNode = { kind: 'term', text, phrase: false, wildcard: text.endsWith('*') };
  if (fuzzy !== null) node.fuzzy = fuzzy[1] === '' ? 'AUTO' : fuzzy[1];
  return node;
}
