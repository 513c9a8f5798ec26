import { EngineError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from '../../json.ts';
import { tokenName } from '../request.ts';
import { javaParseDouble } from './composite-after.ts';
import { dateRounding, offsetMs } from './date-histogram.ts';

/**
 * Parsing a `composite` body as OpenSearch's CompositeAggregationBuilder PARSER and the sources'
 * ObjectParsers do, failures included: a failure inside a field comes back wrapped as
 * `[parser] failed to parse field [name]` with the cause kept, which is what clients see.
 */

export type SourceType = 'terms' | 'histogram' | 'date_histogram';
export type MissingOrder = 'default' | 'first' | 'last';

/** One source as the request gives it (CompositeValuesSourceBuilder): checked, not yet resolved against mappings. */
export interface CompositeSourceSpec {
  name: string;
  type: SourceType;
  /** The source's own body, read again by the date histogram helpers (interval, offset, time_zone). */
  body: JsonObject;
  field?: string;
  asc: boolean;
  missingBucket: boolean;
  missingOrder: MissingOrder;
  /** histogram only. */
  interval?: number;
  /** date_histogram only: the key format (keys are epoch millis without it). */
  format?: string;
  timeZone?: string;
}

export interface CompositeRequest {
  sources: CompositeSourceSpec[];
  size: number;
  after?: JsonObject;
}

const illegal = (reason: string, cause?: EngineError): EngineError => new EngineError(400, 'illegal_argument_exception', reason, {}, cause);
const xcontent = (reason: string, cause?: EngineError): EngineError => new EngineError(400, 'x_content_parse_exception', reason, {}, cause);
const parsing = (reason: string): EngineError => new EngineError(400, 'parsing_exception', reason);
// Java's IllegalStateException (a 500 on its own, but only ever seen here inside a 400 wrapper).
const illegalState = (reason: string): EngineError => new EngineError(500, 'illegal_state_exception', reason);

/** What this engine refuses to do itself: said plainly, never wrapped as if OpenSearch had failed to parse it. */
const refusals = new WeakSet<EngineError>();

/** ObjectParser's wrapping of a failure inside a field. */
function wrapField(parser: string, field: string, e: unknown): EngineError {
  if (!(e instanceof EngineError)) throw e;
  if (refusals.has(e)) return e;
  return xcontent(`[${parser}] failed to parse field [${field}]`, e);
}

function refusal(reason: string): EngineError {
  const e = new EngineError(400, 'illegal_argument_exception', reason);
  refusals.add(e);
  return e;
}

/** XContentParserUtils.ensureExpectedToken's message. */
const expecting = (expected: string, found: string): EngineError =>
  parsing(`Failed to parse object: expecting token of type [${expected}] but found [${found}]`);

/** ObjectParser value types and the tokens each accepts. */
type ValueType = 'string' | 'boolean' | 'number' | 'object_or_string';
const TOKENS: Record<ValueType, readonly string[]> = {
  string: ['VALUE_STRING'],
  boolean: ['VALUE_BOOLEAN', 'VALUE_STRING'],
  number: ['VALUE_NUMBER', 'VALUE_STRING'],
  object_or_string: ['START_OBJECT', 'VALUE_STRING'],
};

// CompositeValuesSourceParserHelper.declareValuesSourceFields: `format` is only declared by date_histogram.
const COMMON: Record<string, ValueType> = {
  field: 'string', missing_bucket: 'boolean', missing_order: 'string', value_type: 'string', script: 'object_or_string', order: 'string',
};
const FIELDS: Record<SourceType, Record<string, ValueType>> = {
  terms: COMMON,
  histogram: { ...COMMON, interval: 'number' },
  date_histogram: { ...COMMON, format: 'string', calendar_interval: 'string', fixed_interval: 'string', interval: 'number', offset: 'number', time_zone: 'number' },
};

const isSourceType = (t: string): t is SourceType => Object.prototype.hasOwnProperty.call(FIELDS, t);

/** SortOrder.fromString / MissingOrder.fromString: Enum.valueOf of the upper-cased name. */
function enumValue<T extends string>(v: string, names: readonly T[], enumClass: string): T {
  const lower = v.toLowerCase() as T;
  if (names.includes(lower)) return lower;
  throw illegal(`No enum constant ${enumClass}.${v.toUpperCase()}`);
}

/** XContentParser.booleanValue: a JSON boolean or the strings true/false. */
function booleanValue(v: Json): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw illegal(`Failed to parse value [${String(v)}] as only [true] or [false] are allowed.`);
}

const numberValue = (v: Json): number => (typeof v === 'number' ? v : javaParseDouble(String(v)));

/** One field of a source body, once its token type has been accepted. */
function applyField(spec: CompositeSourceSpec, key: string, v: Json): void {
  if (key === 'field') spec.field = v as string;
  else if (key === 'order') spec.asc = enumValue(v as string, ['asc', 'desc'], 'org.opensearch.search.sort.SortOrder') === 'asc';
  else if (key === 'missing_bucket') spec.missingBucket = booleanValue(v);
  else if (key === 'missing_order') spec.missingOrder = enumValue(v as string, ['default', 'first', 'last'], 'org.opensearch.search.aggregations.bucket.missing.MissingOrder');
  else if (key === 'format') spec.format = v as string;
  else if (key === 'offset') offsetMs(v);
  // ZoneOffset.ofHours for a number, a zone id otherwise.
  else if (key === 'time_zone') spec.timeZone = typeof v === 'number' ? `${v < 0 ? '-' : '+'}${String(Math.abs(Math.trunc(v))).padStart(2, '0')}:00` : String(v);
  else if (key === 'interval' && spec.type === 'histogram') {
    const interval = numberValue(v);
    if (!(interval > 0)) throw illegal('[interval] must be greater than 0 for [histogram] source');
    spec.interval = interval;
  }
}

const INTERVAL_KEYS = ['calendar_interval', 'fixed_interval', 'interval'];

function parseSourceBody(name: string, type: SourceType, body: JsonObject): CompositeSourceSpec {
  const spec: CompositeSourceSpec = { name, type, body, asc: true, missingBucket: false, missingOrder: 'default' };
  for (const [key, v] of Object.entries(body)) {
    const valueType = FIELDS[type][key];
    if (valueType === undefined) throw xcontent(`[${type}] unknown field [${key}]`);
    if (!TOKENS[valueType].includes(tokenName(v))) throw xcontent(`[${type}] ${key} doesn't support values of type: ${tokenName(v)}`);
    if (key === 'script') throw refusal('scripts in composite sources are not supported by this engine: use [field]');
    try {
      applyField(spec, key, v);
    } catch (e) {
      throw wrapField(type, key, e);
    }
  }
  // DateIntervalWrapper checks an interval as it is set; a missing one is only refused when the rounding is built.
  const intervalKey = type === 'date_histogram' ? INTERVAL_KEYS.find((k) => body[k] !== undefined) : undefined;
  if (intervalKey !== undefined) {
    try {
      dateRounding(body, 0, 0);
    } catch (e) {
      throw wrapField(type, intervalKey, e);
    }
  }
  return spec;
}

/**
 * The token the array parser meets after a source object that held more than one key: the rest of
 * that object is read as if it were the next array element, which fails (ObjectParser.parseArray).
 */
function strayToken(next: Json, more: boolean): EngineError {
  const token = isObject(next) ? (Object.keys(next).length > 0 ? 'FIELD_NAME' : 'END_OBJECT') : more ? 'FIELD_NAME' : 'END_OBJECT';
  return illegalState(`expected value but got [${token}]`);
}

/** CompositeValuesSourceParserHelper.fromXContent: `{name: {type: {...}}}`. */
function parseSource(entry: Json): CompositeSourceSpec {
  if (!isObject(entry)) throw expecting('START_OBJECT', tokenName(entry));
  const names = Object.keys(entry);
  if (names.length === 0) throw expecting('FIELD_NAME', 'END_OBJECT');
  const def = entry[names[0]];
  if (!isObject(def)) throw expecting('START_OBJECT', tokenName(def));
  const types = Object.keys(def);
  if (types.length === 0) throw expecting('FIELD_NAME', 'END_OBJECT');
  const body = def[types[0]];
  if (!isObject(body)) throw expecting('START_OBJECT', tokenName(body));
  // OpenSearch has geotile_grid sources too; this engine does not aggregate geo fields.
  if (types[0] === 'geotile_grid') throw refusal('[geotile_grid] composite sources are not supported by this engine');
  if (!isSourceType(types[0])) throw parsing(`invalid source type: ${types[0]}`);
  const spec = parseSourceBody(names[0], types[0], body);
  if (types.length > 1) throw strayToken(def[types[1]], types.length > 2);
  if (names.length > 1) {
    // The second name's value is taken for the next source; whatever it holds, the array is left mid-object.
    parseSource(entry[names[1]]);
    throw illegalState(`expected value but got [${names.length > 2 ? 'FIELD_NAME' : 'END_OBJECT'}]`);
  }
  return spec;
}

/** CompositeAggregationBuilder.validateSources, run by the builder's constructor as `sources` arrives. */
function validateSources(sources: CompositeSourceSpec[]): void {
  let problem: string | undefined;
  const names = sources.map((s) => s.name);
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (sources.length === 0) problem = 'Composite [sources] cannot be null or empty';
  else if (duplicates.length > 0) problem = `Composite source names must be unique, found duplicates: [${duplicates.join(', ')}]`;
  if (problem !== undefined) throw xcontent('Failed to build [composite] after last required field arrived', illegal(problem));
}

function parseSources(v: Json): CompositeSourceSpec[] {
  if (!Array.isArray(v) && !isObject(v)) throw xcontent(`[composite] sources doesn't support values of type: ${tokenName(v)}`);
  try {
    // An object array field also takes a single object.
    const specs = (Array.isArray(v) ? v : [v]).map((item) => {
      if (Array.isArray(item)) throw illegalState('expected value but got [START_ARRAY]');
      return parseSource(item);
    });
    validateSources(specs);
    return specs;
  } catch (e) {
    throw wrapField('composite', 'sources', e);
  }
}

/** declareInt: a number (truncated) or a numeric string. */
function parseSize(v: Json): number {
  if (typeof v !== 'number' && typeof v !== 'string') throw xcontent(`[composite] size doesn't support values of type: ${tokenName(v)}`);
  try {
    return Math.trunc(numberValue(v));
  } catch (e) {
    throw wrapField('composite', 'size', e);
  }
}

/** Parses a `composite` aggregation body; nothing here depends on mappings or data. */
export function parseComposite(body: JsonObject): CompositeRequest {
  let sources: CompositeSourceSpec[] | undefined;
  let size = 10;
  let after: JsonObject | undefined;
  for (const [key, v] of Object.entries(body)) {
    if (key === 'sources') sources = parseSources(v);
    else if (key === 'size') size = parseSize(v);
    else if (key === 'after') {
      if (!isObject(v)) throw xcontent(`[composite] after doesn't support values of type: ${tokenName(v)}`);
      after = v;
    } else throw xcontent(`[composite] unknown field [${key}]`);
  }
  if (sources === undefined) throw illegal('Required [sources]');
  return { sources, size, after };
}
