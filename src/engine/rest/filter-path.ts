import { isObject, type Json } from '../json.ts';

/**
 * Applies OpenSearch's `filter_path` (comma-separated dotted paths, `*` within a segment,
 * `**` for any depth; a leading `-` excludes the path instead) to a response body. Arrays are
 * traversed transparently.
 */
export function applyFilterPath(body: Json, filterPath: string): Json {
  const all = filterPath.split(',').map((f) => f.trim()).filter((f) => f !== '');
  const excludes = all.filter((f) => f.startsWith('-')).map((f) => f.slice(1).split('.'));
  const includes = all.filter((f) => !f.startsWith('-')).map((f) => f.split('.'));
  let out: Json | undefined = excludes.length === 0 ? body : excludeNode(body, excludes);
  if (includes.length > 0 && out !== undefined) out = filterNode(out, includes);
  return out === undefined ? {} : out;
}

/** The filters that continue below `key`, as the include walk computes them. */
function descend(filters: string[][], key: string): string[][] {
  const next: string[][] = [];
  for (const f of filters) {
    if (f[0] === '**') {
      next.push(f);
      if (f.length > 1 && segmentMatches(f[1], key)) next.push(f.slice(2));
    } else if (segmentMatches(f[0], key)) next.push(f.slice(1));
  }
  return next;
}

function excludeNode(node: Json, filters: string[][]): Json | undefined {
  if (filters.some((f) => f.length === 0)) return undefined;
  if (Array.isArray(node)) return node.map((item) => excludeNode(item, filters)).filter((v): v is Json => v !== undefined);
  if (!isObject(node)) return node;
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    const next = descend(filters, key);
    const v = next.length === 0 ? value : excludeNode(value, next);
    if (v !== undefined) result[key] = v;
  }
  return result;
}

function segmentMatches(pattern: string, key: string): boolean {
  if (pattern === '*' || pattern === '**') return true;
  if (!pattern.includes('*')) return pattern === key;
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(key);
}

function filterNode(node: Json, filters: string[][]): Json | undefined {
  if (filters.some((f) => f.length === 0)) return node;
  if (Array.isArray(node)) {
    const items = node.map((item) => filterNode(item, filters)).filter((v): v is Json => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (!isObject(node)) return undefined;
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    const next = descend(filters, key); // ** keeps matching deeper
    if (next.length === 0) continue;
    const v = filterNode(value, next);
    if (v !== undefined) result[key] = v;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}
