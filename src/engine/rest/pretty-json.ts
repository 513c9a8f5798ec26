import { isObject, type Json } from '../json.ts';

/**
 * JSON as OpenSearch's `pretty` writes it: Jackson's DefaultPrettyPrinter with two-space indents
 * for objects and arrays, `"key" : value`, `{ }` and `[ ]` when empty, and a final newline.
 */
export function prettyJson(value: Json): string {
  return write(value, '') + '\n';
}

function write(value: Json, indent: string): string {
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return '[\n' + value.map((v) => inner + write(v, inner)).join(',\n') + '\n' + indent + ']';
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{ }';
    return '{\n' + entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${write(v, inner)}`).join(',\n') + '\n' + indent + '}';
  }
  return JSON.stringify(value);
}
