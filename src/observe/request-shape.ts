/**
 * The shape of a request body for `rewrite`-level records (SPEC §6): object keys (field names,
 * query kinds, aggregation names) are kept, every value is replaced by its kind. So a record
 * shows how a query was rewritten without ever holding a document or query value.
 */
import type { Json } from '../core/json.ts';

const MAX_DEPTH = 24;
const MAX_KEYS = 64;
const MAX_ITEMS = 4;

export function shapeOf(node: Json | undefined, depth = 0): Json {
  if (node === null) return '<null>';
  if (node === undefined) return '<none>';
  if (typeof node === 'string') return '<string>';
  if (typeof node === 'number') return '<number>';
  if (typeof node === 'boolean') return '<boolean>';
  if (depth >= MAX_DEPTH) return '<deeper>';
  if (Array.isArray(node)) {
    const items = node.slice(0, MAX_ITEMS).map((n) => shapeOf(n, depth + 1));
    if (node.length > MAX_ITEMS) items.push(`<${node.length - MAX_ITEMS} more>`);
    return items;
  }
  const out: Record<string, Json> = {};
  let n = 0;
  for (const [k, v] of Object.entries(node)) {
    if (n++ === MAX_KEYS) {
      out['<more keys>'] = Object.keys(node).length - MAX_KEYS;
      break;
    }
    out[k] = shapeOf(v, depth + 1);
  }
  return out;
}
