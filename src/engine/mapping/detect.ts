import type { Json } from '../json.ts';
import { DEFAULT_DATE_FORMAT, parseDateValue, parseIsoDate } from '../search/fields/dates.ts';
import type { FieldMapping, Mappings } from './types.ts';

/** RootObjectMapper.Defaults.DYNAMIC_DATE_TIME_FORMATTERS, as GET _mapping names them. */
export const DEFAULT_DYNAMIC_DATE_FORMATS: readonly string[] = [DEFAULT_DATE_FORMAT, 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis'];

/** strict_date_optional_time: yyyy[-MM[-dd[THH[:mm[:ss[.S…]]]]]] with a zone only after a time; `T`, never a space. */
const STRICT_DATE_OPTIONAL_TIME = /^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}(?::\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
const SLASH_DATE = /^\d{4}\/\d{2}\/\d{2}(?: \d{2}:\d{2}:\d{2})?$/;

/** Whether a dynamic date format parses `text` (the two default formats strictly, others as the date field would). */
function formatParses(format: string, text: string): boolean {
  if (format === DEFAULT_DATE_FORMAT || format === 'strict_date_optional_time') return STRICT_DATE_OPTIONAL_TIME.test(text) && !Number.isNaN(parseIsoDate(text));
  if (format === DEFAULT_DYNAMIC_DATE_FORMATS[1]) return SLASH_DATE.test(text) && !Number.isNaN(parseDateValue(text, format));
  return !Number.isNaN(parseDateValue(text, format));
}

/** Java's Long.parseLong: an optional sign and decimal digits, within the long range. */
function parseableAsLong(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false;
  const digits = text.replace(/^[+-]/, '').replace(/^0+(?=\d)/, '');
  const limit = text.startsWith('-') ? '9223372036854775808' : '9223372036854775807';
  return digits.length < limit.length || (digits.length === limit.length && digits <= limit);
}

/** Java's Double.parseDouble (decimal forms, NaN, Infinity; surrounding whitespace is ignored). */
function parseableAsDouble(text: string): boolean {
  return /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.test(text.trim());
}

const TEXT_WITH_KEYWORD = (): FieldMapping => ({ type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } });

/**
 * The mapping DocumentParser.createBuilderFromDynamicValue gives a new string field: long/float with
 * `numeric_detection`, else (not a number) a date when `date_detection` is on and one of the
 * `dynamic_date_formats` parses it, else text with a keyword multi-field.
 */
export function inferStringMapping(text: string, root: Mappings): FieldMapping {
  const asLong = parseableAsLong(text);
  const asDouble = parseableAsDouble(text);
  if (root.numeric_detection === true && asLong) return { type: 'long' };
  if (root.numeric_detection === true && asDouble) return { type: 'float' };
  if (!asLong && !asDouble && root.date_detection !== false) {
    for (const format of root.dynamic_date_formats ?? DEFAULT_DYNAMIC_DATE_FORMATS) {
      if (!formatParses(format, text)) continue;
      return format === DEFAULT_DATE_FORMAT ? { type: 'date' } : { type: 'date', format };
    }
  }
  return TEXT_WITH_KEYWORD();
}

/** The mapping OpenSearch infers for a new value, or undefined for null/empty arrays. */
export function inferMapping(value: Json, root: Mappings): FieldMapping | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const m = inferMapping(item, root);
      if (m !== undefined) return m;
    }
    return undefined;
  }
  if (value === null) return undefined;
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'long' : 'float' };
  if (typeof value === 'string') return inferStringMapping(value, root);
  return { properties: {} };
}
