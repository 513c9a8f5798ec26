/**
 * `_cat` tables as OpenSearch's RestTable builds them, for the tables osproxy synthesizes from a
 * tenant's own indexes: `h` (names, aliases, wildcards; unknown ones ignored), `s` (by name or
 * alias, `:asc`/`:desc`; an unknown key is OpenSearch's 500), `v` (header line), `bytes` (size
 * cells in a unit), `format=json` (or `Accept: application/json`), `help`, `pri` (with `h`, the
 * `pri.` sibling of a column), `ts=false` (no time columns).
 */
import { OsproxyError, illegalArgument } from '../http/errors.ts';
import { jsonReply, textReply, type Reply } from '../http/reply.ts';

/** A column with the attributes OpenSearch's Table.addCell gives it. */
export interface CatColumn {
  name: string;
  aliases?: string[];
  /** `text-align:right` in the text output. */
  right?: boolean;
  /** Shown when no `h` is given (default true). */
  default?: boolean;
  /** `sibling:pri`: with `pri=true`, `h=<name>` also shows `pri.<name>`. */
  sibling?: 'pri';
  desc: string;
}

/** A size cell (ByteSizeValue): rendered per `bytes`, compared by bytes. */
export interface ByteSize {
  bytes: number;
}

export type CatCell = string | number | ByteSize | null;
export type CatRow = Record<string, CatCell>;

/** The request as the table reads it. */
export interface CatRequest {
  query: URLSearchParams;
  accept: string | undefined;
}

const UNITS: [string[], number][] = [
  [['b'], 1], [['k', 'kb'], 1024], [['m', 'mb'], 1024 ** 2], [['g', 'gb'], 1024 ** 3], [['t', 'tb'], 1024 ** 4], [['p', 'pb'], 1024 ** 5],
];

function bool(req: CatRequest, name: string, fallback = false): boolean {
  const v = req.query.get(name);
  if (v === null) return fallback;
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  throw illegalArgument('invalid_parameter', `Failed to parse value [${v}] as only [true] or [false] are allowed.`);
}

function list(req: CatRequest, name: string): string[] | undefined {
  const v = req.query.get(name);
  return v === null ? undefined : v.split(',').filter((s) => s !== '');
}

function wildcard(pattern: string, name: string): boolean {
  return new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$').test(name);
}

/** Strings.format1Decimals: one decimal, truncated, dropped when it is 0. */
function format1Decimals(value: number, suffix: string): string {
  const s = String(value);
  const dot = s.indexOf('.');
  if (dot < 0 || s[dot + 1] === '0') return (dot < 0 ? s : s.slice(0, dot)) + suffix;
  return s.slice(0, dot + 2) + suffix;
}

/** ByteSizeValue.toString: the largest unit the size reaches. */
function humanBytes(bytes: number): string {
  for (const [names, size] of [...UNITS].reverse()) {
    if (bytes >= size && size > 1) return format1Decimals(bytes / size, names[names.length - 1]);
  }
  return format1Decimals(bytes, 'b');
}

function render(cell: CatCell, req: CatRequest): string | null {
  if (cell === null) return null;
  if (typeof cell === 'object') {
    const unit = UNITS.find(([names]) => names.includes(req.query.get('bytes') ?? ''));
    return unit === undefined ? humanBytes(cell.bytes) : String(Math.floor(cell.bytes / unit[1]));
  }
  return String(cell);
}

interface Display {
  column: CatColumn;
  label: string;
}

function displayColumns(req: CatRequest, columns: CatColumn[]): Display[] {
  const showTime = (c: CatColumn): boolean => (c.name !== 'epoch' && c.name !== 'timestamp') || bool(req, 'ts', true);
  const h = list(req, 'h');
  if (h === undefined) return columns.filter((c) => c.default !== false && showTime(c)).map((column) => ({ column, label: column.name }));
  const wanted = new Set<string>();
  for (const p of h) {
    if (!p.includes('*')) wanted.add(p);
    else for (const c of columns) if (wildcard(p, c.name) || (c.aliases ?? []).some((a) => wildcard(p, a))) wanted.add(c.name);
  }
  const out: Display[] = [];
  for (const w of wanted) {
    const column = columns.find((c) => c.name === w) ?? columns.find((c) => c.aliases?.includes(w));
    if (column === undefined || !showTime(column)) continue;
    out.push({ column, label: w });
    const sibling = column.sibling === undefined ? undefined : columns.find((c) => c.name === `${column.sibling}.${column.name}`);
    if (sibling !== undefined && bool(req, 'pri')) out.push({ column: sibling, label: `pri.${w}` });
  }
  return out;
}

function compareCells(a: CatCell, b: CatCell): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'object' && typeof b === 'object') return a.bytes - b.bytes;
  const x = String(typeof a === 'object' ? a.bytes : a);
  const y = String(typeof b === 'object' ? b.bytes : b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function sortRows(req: CatRequest, columns: CatColumn[], rows: CatRow[]): CatRow[] {
  const keys = list(req, 's');
  if (keys === undefined) return rows;
  const order = keys.map((k) => {
    const desc = k.endsWith(':desc');
    const name = k.replace(/:(asc|desc)$/, '');
    const column = columns.find((c) => c.name === name || c.aliases?.includes(name));
    if (column === undefined) {
      throw new OsproxyError({ status: 500, type: 'unsupported_operation_exception', code: 'cat_unknown_sort_key', reason: `Unable to sort by unknown sort key \`${name}\`` });
    }
    return { name: column.name, desc };
  });
  return [...rows].sort((a, b) => {
    for (const o of order) {
      const c = compareCells(a[o.name] ?? null, b[o.name] ?? null);
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  });
}

function wantsJson(req: CatRequest): boolean {
  const format = req.query.get('format');
  if (format !== null) return format.toLowerCase() === 'json';
  return /^application\/json\b/i.test(req.accept ?? '');
}

function helpText(columns: CatColumn[]): string {
  const cells = columns.map((c) => [c.name, (c.aliases ?? []).join(','), c.desc]);
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((v, i) => v.padEnd(widths[i])).join(' | ') + '\n').join('');
}

/** RestTable.buildResponse: JSON objects of strings, or aligned text. */
export function catReply(req: CatRequest, columns: CatColumn[], rows: CatRow[]): Reply {
  if (bool(req, 'help')) return textReply(200, helpText(columns));
  const display = displayColumns(req, columns);
  const ordered = sortRows(req, columns, rows);
  const rendered = ordered.map((row) => display.map((d) => render(row[d.column.name] ?? null, req)));
  if (wantsJson(req)) return jsonReply(200, rendered.map((cells) => Object.fromEntries(display.map((d, i) => [d.label, cells[i]]))));
  const lines = bool(req, 'v') ? [display.map((d) => d.label), ...rendered] : rendered;
  const widths = display.map((_, i) => Math.max(0, ...lines.map((l) => (l[i] ?? '').length)));
  const text = lines.map((cells) => cells.map((v, i) => {
    const value = v ?? '';
    if (display[i].column.right === true) return value.padStart(widths[i]);
    return i === display.length - 1 ? value : value.padEnd(widths[i]);
  }).join(' ') + '\n').join('');
  return textReply(200, text);
}
