import { EngineError } from '../../errors.ts';
import type { Json } from '../../json.ts';

/** OpenSearch's default date format for `date` fields. */
export const DEFAULT_DATE_FORMAT = 'strict_date_optional_time||epoch_millis';

const ISO = /^([+-]?\d{4,9})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses ISO-8601 forms (`2020`, `2020-01-02`, `2020-01-02T03:04:05.678+01:00`); NaN if invalid. */
export function parseIsoDate(s: string): number {
  const m = ISO.exec(s.trim());
  if (m === null) return NaN;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const month = mo === undefined ? 0 : Number(mo) - 1;
  const day = d === undefined ? 1 : Number(d);
  if (month > 11 || day < 1 || day > 31 || Number(h ?? 0) > 24 || Number(mi ?? 0) > 59 || Number(sec ?? 0) > 60) return NaN;
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(Number(y), month, day, Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), millis);
  const probe = new Date(Date.UTC(Number(y), month, day));
  if (probe.getUTCDate() !== day) return NaN;
  return utc - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
}

/** `+01:00`, `-0500`, `Z`, `UTC` → offset millis; named zones other than UTC/GMT are treated as UTC. */
export function timeZoneOffsetMs(tz: string | undefined): number {
  if (tz === undefined || /^(UTC|GMT|Z|Etc\/UTC)$/i.test(tz)) return 0;
  if (/^[+-]\d{2}(:?\d{2})?$/.test(tz)) return zoneOffsetMs(tz);
  return 0;
}

const PATTERN_TOKEN = /'[^']*'|y+|u+|Y+|M+|d+|H+|h+|m+|s+|S+|a|Z+|X+|x+|E+|./g;

/** Parses with a Java-style pattern such as `yyyy-MM-dd HH:mm:ss`; NaN if it does not fit. */
function parseWithPattern(value: string, pattern: string): number {
  const parts: Record<string, number> = {};
  let regex = '';
  const fields: string[] = [];
  for (const tok of pattern.match(PATTERN_TOKEN) ?? []) {
    const c = tok[0];
    if (tok.startsWith("'")) regex += escapeRegex(tok.slice(1, -1));
    else if ('yuYMdHhmsS'.includes(c)) {
      regex += c === 'S' ? '(\\d{1,9})' : c === 'y' || c === 'u' || c === 'Y' ? '(\\d{1,9})' : `(\\d{1,${Math.max(2, tok.length)}})`;
      fields.push(c);
    } else if (c === 'Z' || c === 'X' || c === 'x') {
      regex += '(Z|[+-]\\d{2}:?\\d{2})';
      fields.push('Z');
    } else regex += escapeRegex(tok);
  }
  const m = new RegExp(`^${regex}$`).exec(value);
  if (m === null) return NaN;
  let zone = 0;
  fields.forEach((f, i) => {
    if (f === 'Z') zone = zoneOffsetMs(m[i + 1]);
    else parts[f] = f === 'S' ? Number(m[i + 1].padEnd(3, '0').slice(0, 3)) : Number(m[i + 1]);
  });
  const year = parts.y ?? parts.u ?? parts.Y ?? 1970;
  return Date.UTC(year, (parts.M ?? 1) - 1, parts.d ?? 1, parts.H ?? parts.h ?? 0, parts.m ?? 0, parts.s ?? 0, parts.S ?? 0) - zone;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const NAMED_FORMATS: Record<string, (v: string) => number> = {
  epoch_millis: (v) => (/^-?\d+(\.\d+)?$/.test(v) ? Math.trunc(Number(v)) : NaN),
  epoch_second: (v) => (/^-?\d+(\.\d+)?$/.test(v) ? Math.trunc(Number(v) * 1000) : NaN),
};

/** Named formats (`date_optional_time`, `year`) versus Java patterns made of pattern letters (`yyyy`). */
const isNamedFormat = (f: string): boolean => /^[a-z_]+$/.test(f) && /[^yudhms]/.test(f);

function parseOne(value: string, format: string): number {
  const name = format.trim();
  const named = NAMED_FORMATS[name];
  if (named !== undefined) return named(value);
  if (isNamedFormat(name)) return parseIsoDate(value);
  return parseWithPattern(value, name);
}

/** Parses a date value with a `a||b` format list; numbers are epoch millis. NaN when invalid. */
export function parseDateValue(value: Json, format: string = DEFAULT_DATE_FORMAT): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : NaN;
  if (typeof value !== 'string') return NaN;
  for (const f of format.split('||')) {
    const ms = parseOne(value, f);
    if (!Number.isNaN(ms)) return ms;
  }
  return NaN;
}

/** Like parseDateValue, but a 400 like OpenSearch's when the value does not parse. */
export function parseDateOrThrow(value: Json, format: string = DEFAULT_DATE_FORMAT): number {
  const ms = parseDateValue(value, format);
  if (Number.isNaN(ms)) {
    const v = typeof value === 'string' ? value : JSON.stringify(value);
    throw new EngineError(400, 'parse_exception', `failed to parse date field [${v}] with format [${format}]: [failed to parse date field [${v}] with format [${format}]]`);
  }
  return ms;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Formats epoch millis with the first format of a format list (ISO for the named ones). */
export function formatDate(ms: number, format: string = DEFAULT_DATE_FORMAT): string {
  const first = format.split('||')[0].trim();
  if (first === 'epoch_millis') return String(ms);
  if (first === 'epoch_second') return String(Math.trunc(ms / 1000));
  const d = new Date(ms);
  if (isNamedFormat(first)) return namedFormat(d, first);
  return (first.match(PATTERN_TOKEN) ?? []).map((tok) => formatToken(d, tok)).join('');
}

function namedFormat(d: Date, name: string): string {
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (/(^|_)date$/.test(name) || name.endsWith('year_month_day')) return date;
  if (/year_month$/.test(name)) return date.slice(0, 7);
  if (/(^|_)year$/.test(name)) return date.slice(0, 4);
  return d.toISOString().replace(/^\+?0*(\d{4})/, '$1');
}

function formatToken(d: Date, tok: string): string {
  if (tok.startsWith("'")) return tok.slice(1, -1);
  const n = tok.length;
  switch (tok[0]) {
    case 'y': case 'u': case 'Y': return n === 2 ? pad(d.getUTCFullYear() % 100) : pad(d.getUTCFullYear(), 4);
    case 'M': return pad(d.getUTCMonth() + 1, n);
    case 'd': return pad(d.getUTCDate(), n);
    case 'H': return pad(d.getUTCHours(), n);
    case 'h': return pad(d.getUTCHours() % 12 || 12, n);
    case 'm': return pad(d.getUTCMinutes(), n);
    case 's': return pad(d.getUTCSeconds(), n);
    case 'S': return pad(d.getUTCMilliseconds(), 3).padEnd(n, '0').slice(0, n);
    case 'Z': return n >= 3 ? 'Z' : '+0000';
    case 'X': case 'x': return 'Z';
    default: return tok;
  }
}
