import type { Json, JsonObject } from '../json.ts';
import type { FieldMapping, Mappings } from './types.ts';

/** Root keys in the order RootObjectMapper/ObjectMapper.toXContent writes them (before `properties`). */
const ROOT_ORDER = ['dynamic', 'enabled', '_meta', '_routing', '_source', 'dynamic_date_formats', 'dynamic_templates', 'date_detection', 'numeric_detection'];

const copy = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;

/** `dynamic` is an enum in OpenSearch and always rendered as its lower-case name: "true", "false", "strict". */
const dynamicName = (v: unknown): string => String(v);

/** Properties sorted by name, as ObjectMapper serializes its mappers. */
function renderProperties(props: Record<string, FieldMapping>): JsonObject {
  const out: JsonObject = {};
  for (const name of Object.keys(props).sort()) out[name] = renderField(props[name]);
  return out;
}

function renderField(f: FieldMapping): JsonObject {
  const out: JsonObject = {};
  const isObject = f.properties !== undefined || f.type === 'object' || f.type === 'nested';
  if (isObject) {
    const props = f.properties ?? {};
    if (f.type === 'nested') out.type = 'nested';
    else if (Object.keys(props).length === 0) out.type = 'object';
    // ObjectMapper.toXContent: dynamic, then enabled only when it is not the default (true).
    if (f.dynamic !== undefined) out.dynamic = dynamicName(f.dynamic);
    if (f.enabled === false) out.enabled = false;
    for (const [key, value] of Object.entries(f)) {
      if (key === 'type' || key === 'properties' || key === 'dynamic' || key === 'enabled' || value === undefined) continue;
      out[key] = copy(value as Json);
    }
    if (Object.keys(props).length > 0) out.properties = renderProperties(props);
    return out;
  }
  if (f.type !== undefined) out.type = f.type;
  for (const [key, value] of Object.entries(f)) {
    if (key === 'type' || key === 'fields' || key === 'copy_to' || value === undefined) continue;
    out[key] = copy(value as Json);
  }
  if (f.fields !== undefined && Object.keys(f.fields).length > 0) out.fields = renderProperties(f.fields);
  if (f.copy_to !== undefined) out.copy_to = copy(f.copy_to as Json);
  return out;
}

/** The mapping as GET _mapping returns it: root parameters in OpenSearch's order, then sorted properties. */
export function mappingToJson(m: Mappings): JsonObject {
  const out: JsonObject = {};
  for (const key of ROOT_ORDER) {
    const value = m[key];
    if (value === undefined || (key === 'enabled' && value !== false)) continue;
    out[key] = key === 'dynamic' ? dynamicName(value) : copy(value as Json);
  }
  for (const [key, value] of Object.entries(m)) {
    if (key !== 'properties' && !ROOT_ORDER.includes(key) && value !== undefined) out[key] = copy(value as Json);
  }
  if (Object.keys(m.properties).length > 0) out.properties = renderProperties(m.properties);
  return out;
}
