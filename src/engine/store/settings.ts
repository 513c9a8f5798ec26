import { EngineError } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { DEFAULT_TOTAL_FIELDS_LIMIT } from '../mapping/limits.ts';
import type { IndexSettings } from './index-state.ts';

/** Flattens `{index: {number_of_shards: 1}}`, `{number_of_shards: 1}` and dotted keys into `index.*`. */
export function flattenSettings(body: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: JsonObject, prefix: string): void => {
    for (const [k, v] of Object.entries(node)) {
      const key = prefix + k;
      if (isObject(v)) walk(v, key + '.');
      else if (v !== null) out[key.startsWith('index.') ? key : `index.${key}`] = Array.isArray(v) ? v.join(',') : String(v);
    }
  };
  if (isObject(body)) walk(body, '');
  return out;
}

/** Parses a time value such as `1s`, `500ms`, `-1`. */
export function parseTimeMs(v: string, setting: string): number {
  if (v === '-1') return -1;
  const m = /^(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)?$/.exec(v.trim());
  if (m === null) {
    throw new EngineError(400, 'illegal_argument_exception', `failed to parse setting [${setting}] with value [${v}] as a time value: unit is missing or unrecognized`);
  }
  const mult: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(m[1]) * mult[m[2] ?? 'ms'];
}

function positiveInt(v: string | undefined, setting: string, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    throw new EngineError(400, 'illegal_argument_exception', `Failed to parse value [${v}] for setting [${setting}] must be >= ${min}`);
  }
  return n;
}

export function parseIndexSettings(body: Json | undefined, defaultShards: number): IndexSettings {
  const flat = flattenSettings(body);
  const settings: IndexSettings = {
    numberOfShards: positiveInt(flat['index.number_of_shards'], 'index.number_of_shards', defaultShards, 1),
    numberOfReplicas: positiveInt(flat['index.number_of_replicas'], 'index.number_of_replicas', 1, 0),
    refreshIntervalMs: 1000,
    extra: {},
  };
  applySettingsUpdate(settings, flat, true);
  return settings;
}

const TOTAL_FIELDS_LIMIT = 'index.mapping.total_fields.limit';

/** Setting.longSetting's parser: a Java long, at least `min`. */
function longSetting(v: string, key: string, min: number): number {
  if (!/^[+-]?\d+$/.test(v.trim())) throw new EngineError(400, 'illegal_argument_exception', `Failed to parse value [${v}] for setting [${key}]`);
  const n = Number(v);
  if (n < min) throw new EngineError(400, 'illegal_argument_exception', `Failed to parse value [${v}] for setting [${key}] must be >= ${min}`);
  return n;
}

/** `index.mapping.total_fields.limit` (default 1000). */
export function totalFieldsLimit(s: IndexSettings): number {
  const v = s.extra[TOTAL_FIELDS_LIMIT];
  return v === undefined ? DEFAULT_TOTAL_FIELDS_LIMIT : Number(v);
}

/** Applies dynamic settings (refresh interval, replicas, anything else kept verbatim). */
export function applySettingsUpdate(settings: IndexSettings, flat: Record<string, string>, creating: boolean): void {
  for (const [key, value] of Object.entries(flat)) {
    if (key === 'index.number_of_shards') {
      if (!creating) throw new EngineError(400, 'illegal_argument_exception', `Can't update non dynamic settings [[index.number_of_shards]] for open indices`);
      continue;
    }
    if (key === 'index.number_of_replicas') settings.numberOfReplicas = positiveInt(value, key, 1, 0);
    else if (key === TOTAL_FIELDS_LIMIT) settings.extra[key] = String(longSetting(value, key, 0));
    else if (key === 'index.refresh_interval') {
      settings.refreshIntervalMs = parseTimeMs(value, key);
      settings.extra[key] = value;
    } else settings.extra[key] = value;
  }
}

/** Settings as GET _settings returns them (nested objects, string values). */
export function settingsToJson(s: IndexSettings, name: string, uuid: string, creationDate: number): JsonObject {
  const index: JsonObject = {
    // OpenSearch 2.x records the replication strategy on every new index.
    replication: { type: 'DOCUMENT' },
    creation_date: String(creationDate),
    number_of_shards: String(s.numberOfShards),
    number_of_replicas: String(s.numberOfReplicas),
    uuid,
    // Version.V_2_17_0.id (2170099) ^ Version.MASK, as IndexMetadata stores index.version.created.
    version: { created: '136387827' },
    provided_name: name,
  };
  for (const [key, value] of Object.entries(s.extra)) setPath(index, key.slice('index.'.length).split('.'), value);
  return { index };
}

function setPath(obj: JsonObject, parts: string[], value: string): void {
  let node = obj;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    node = isObject(next) ? next : (node[p] = {});
  }
  node[parts[parts.length - 1]] = value;
}
