import { EngineError } from '../../errors.ts';
import type { Json } from '../../json.ts';
import { DEFAULT_DATE_FORMAT, parseDateOrThrow, timeZoneOffsetMs } from './dates.ts';

const MATH_OP = /([+-])(\d*)([yMwdhHms])|\/([yMwdhHms])/g;

/** Start of the calendar unit holding `ms` (UTC shifted by `offset`), or its last millisecond when rounding up. */
export function roundDate(ms: number, unit: string, up: boolean, offset = 0): number {
  const d = new Date(ms + offset);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  let start: number;
  let next: number;
  switch (unit) {
    case 'y': start = Date.UTC(y, 0, 1); next = Date.UTC(y + 1, 0, 1); break;
    case 'q': start = Date.UTC(y, mo - (mo % 3), 1); next = Date.UTC(y, mo - (mo % 3) + 3, 1); break;
    case 'M': start = Date.UTC(y, mo, 1); next = Date.UTC(y, mo + 1, 1); break;
    case 'w': {
      const dayStart = Date.UTC(y, mo, d.getUTCDate());
      start = dayStart - ((d.getUTCDay() + 6) % 7) * 86_400_000;
      next = start + 7 * 86_400_000;
      break;
    }
    default: {
      const size = UNIT_MS[unit];
      start = Math.floor((ms + offset) / size) * size;
      next = start + size;
    }
  }
  return (up ? next - 1 : start) - offset;
}

export const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, H: 3_600_000, m: 60_000, s: 1000 };

function addUnits(ms: number, sign: number, amount: number, unit: string): number {
  const d = new Date(ms);
  if (unit === 'y') return d.setUTCFullYear(d.getUTCFullYear() + sign * amount);
  if (unit === 'M') return d.setUTCMonth(d.getUTCMonth() + sign * amount);
  if (unit === 'w') return ms + sign * amount * 7 * 86_400_000;
  return ms + sign * amount * UNIT_MS[unit];
}

/**
 * Resolves a date with OpenSearch date math: `now-1d/d`, `2020-01-01||+1M/d`. `roundUp` picks the
 * last millisecond of a rounded unit (used by gt and lte, as OpenSearch does).
 */
export function resolveDateMath(value: Json, opts: { format?: string; roundUp?: boolean; timeZone?: string; now?: number } = {}): number {
  const format = opts.format ?? DEFAULT_DATE_FORMAT;
  if (typeof value !== 'string') return parseDateOrThrow(value, format);
  let base: number;
  let math: string;
  if (value.startsWith('now')) {
    base = opts.now ?? Date.now();
    math = value.slice(3);
  } else {
    const sep = value.indexOf('||');
    if (sep < 0) return parseDateOrThrow(value, format) - zoneOffsetUnlessExplicit(value, opts.timeZone);
    base = parseDateOrThrow(value.slice(0, sep), format) - zoneOffsetUnlessExplicit(value.slice(0, sep), opts.timeZone);
    math = value.slice(sep + 2);
  }
  return applyMath(base, math, opts.roundUp === true, timeZoneOffsetMs(opts.timeZone), value);
}

function zoneOffsetUnlessExplicit(s: string, tz: string | undefined): number {
  return /(Z|[+-]\d{2}:?\d{2})$/.test(s) && s.includes('T') ? 0 : timeZoneOffsetMs(tz);
}

function applyMath(base: number, math: string, roundUp: boolean, offset: number, original: string): number {
  let ms = base;
  let consumed = 0;
  for (const m of math.matchAll(MATH_OP)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    if (m[4] !== undefined) ms = roundDate(ms, m[4], roundUp, offset);
    else ms = addUnits(ms, m[1] === '-' ? -1 : 1, m[2] === '' ? 1 : Number(m[2]), m[3]);
  }
  if (consumed !== math.length) {
    throw new EngineError(400, 'parse_exception', `failed to parse date field [${original}]: operation [${math.slice(consumed)}] is not supported`);
  }
  return ms;
}
