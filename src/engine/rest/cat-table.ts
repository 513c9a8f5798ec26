import { EngineError } from '../errors.ts';
import type { Json } from '../json.ts';
import { wildcardMatch } from '../store/index-names.ts';
import type { RestRequest } from './rest-request.ts';
import type { RestResponse } from './router.ts';

/** A column of a _cat table, with the attributes OpenSearch's Table.addCell gives it. */
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

/** A size cell (ByteSizeValue): rendered per the `bytes` parameter, compared by bytes. */
export interface ByteSize {
  bytes: number;
}

export type CatCell = string | number | ByteSize | null;
export type CatRow = Record<string, CatCell>;

/** The parameters every _cat endpoint takes (AbstractCatAction.RESPONSE_PARAMS and friends). */
export const CAT_PARAMS = ['format', 'h', 'v', 'help', 's', 'bytes', 'size', 'time', 'ts', 'pri', 'local', 'master_timeout', 'cluster_manager_timeout'];

const UNITS: [string[], number][] = [
  [['b'], 1], [['k', 'kb'], 1024], [['m', 'mb'], 1024 ** 2], [['g', 'gb'], 1024 ** 3], [['t', 'tb'], 1024 ** 4], [['p', 'pb'], 1024 ** 5],
];

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

/** RestTable.renderValue. */
function render(cell: CatCell, req: RestRequest): string | null {
  if (cell === null) return null;
  if (typeof cell === 'object') {
    const unit = UNITS.find(([names]) => names.includes(req.str('bytes') ?? ''));
    return unit === undefined ? humanBytes(cell.bytes) : String(Math.floor(cell.bytes / unit[1]));
  }
  return String(cell);
}

interface Display {
  column: CatColumn;
  /** The key shown: the header name, or the alias `h` asked for. */
  label: string;
}

/** RestTable.buildDisplayHeaders: `h` names, aliases and wildcards (unknown ones are ignored); `ts=false` hides the time columns. */
function displayColumns(req: RestRequest, columns: CatColumn[]): Display[] {
  const showTime = (c: CatColumn): boolean => (c.name !== 'epoch' && c.name !== 'timestamp') || req.bool('ts', true);
  const h = req.list('h');
  if (h === undefined) return columns.filter((c) => c.default !== false && showTime(c)).map((column) => ({ column, label: column.name }));
  const wanted = new Set<string>();
  for (const p of h) {
    if (!p.includes('*')) wanted.add(p);
    else for (const c of columns) if (wildcardMatch(p, c.name) || (c.aliases ?? []).some((a) => wildcardMatch(p, a))) wanted.add(c.name);
  }
  const out: Display[] = [];
  for (const w of wanted) {
    const column = columns.find((c) => c.name === w) ?? columns.find((c) => c.aliases?.includes(w));
    if (column === undefined || !showTime(column)) continue;
    out.push({ column, label: w });
    const sibling = column.sibling === undefined ? undefined : columns.find((c) => c.name === `${column.sibling}.${column.name}`);
    if (sibling !== undefined && req.bool('pri')) out.push({ column: sibling, label: `pri.${w}` });
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

/** RestTable.getRowOrder: `s=col[:asc|:desc],...` by header name or alias; an unknown key is a 500 like OpenSearch's. */
function sortRows(req: RestRequest, columns: CatColumn[], rows: CatRow[]): CatRow[] {
  const keys = req.list('s');
  if (keys === undefined) return rows;
  const order = keys.map((k) => {
    const desc = k.endsWith(':desc');
    const name = k.replace(/:(asc|desc)$/, '');
    const column = columns.find((c) => c.name === name || c.aliases?.includes(name));
    if (column === undefined) throw new EngineError(500, 'unsupported_operation_exception', `Unable to sort by unknown sort key \`${name}\``);
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

/** JSON when `format=json` or the Accept header asks for it (MediaType.fromFormat/fromMediaType), else text. */
function wantsJson(req: RestRequest): boolean {
  const format = req.str('format');
  if (format !== undefined) return format.toLowerCase() === 'json';
  return /^application\/json\b/i.test(req.header('accept') ?? '');
}

/** `help`: one line per column, `name | aliases | description`, each left-aligned and padded. */
function helpText(columns: CatColumn[]): string {
  const cells = columns.map((c) => [c.name, (c.aliases ?? []).join(','), c.desc]);
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((v, i) => v.padEnd(widths[i])).join(' | ') + '\n').join('');
}

/** RestTable.buildResponse: the rows as JSON objects of strings, or aligned text (`v` adds the header line). */
export function catResponse(req: RestRequest, columns: CatColumn[], rows: CatRow[]): RestResponse {
  if (req.bool('help')) return { status: 200, body: helpText(columns) };
  const display = displayColumns(req, columns);
  const ordered = sortRows(req, columns, rows);
  const rendered = ordered.map((row) => display.map((d) => render(row[d.column.name] ?? null, req)));
  if (wantsJson(req)) {
    const body = rendered.map((cells) => Object.fromEntries(display.map((d, i) => [d.label, cells[i]])) as Record<string, Json>);
    return { status: 200, body };
  }
  const lines = req.bool('v') ? [display.map((d) => d.label), ...rendered] : rendered;
  const widths = display.map((_, i) => Math.max(0, ...lines.map((l) => (l[i] ?? '').length)));
  const text = lines.map((cells) => cells.map((v, i) => {
    const value = v ?? '';
    if (display[i].column.right === true) return value.padStart(widths[i]);
    return i === display.length - 1 ? value : value.padEnd(widths[i]);
  }).join(' ') + '\n').join('');
  return { status: 200, body: text };
}
