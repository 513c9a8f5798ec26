/**
 * Merging a mapping update into a tenant's logical mapping (PUT /{i}/_mapping, fields added by a
 * write). Only what decides the physical field is checked here — a type change, an object
 * becoming a value or back — with OpenSearch's messages; parameter updates are checked by the
 * cluster itself on the tenant's own physical fields.
 */
import { isObject, type JsonObject } from '../../core/json.ts';
import { illegalArgument } from '../../http/errors.ts';
import { isObjectNode, nodeType, type LogicalMapping } from './logical-mapping.ts';
import { DEFINING_PARAMETERS } from './physical-names.ts';

function typeChange(path: string, from: string, to: string): Error {
  return illegalArgument('mapper_type_change', `mapper [${path}] cannot be changed from type [${from}] to [${to}]`);
}

/** A defining parameter (it names the physical field) may not change, as OpenSearch says. */
function checkDefinition(path: string, existing: JsonObject, merged: JsonObject): void {
  for (const key of DEFINING_PARAMETERS) {
    const show = (v: unknown): string => (v === undefined ? 'default' : typeof v === 'string' ? v : JSON.stringify(v));
    if (JSON.stringify(existing[key]) === JSON.stringify(merged[key])) continue;
    throw illegalArgument('mapper_conflict', `Mapper for [${path}] conflicts with existing mapper:\n\tCannot update parameter [${key}] from [${show(existing[key])}] to [${show(merged[key])}]`);
  }
}

function mergeProperties(current: Record<string, JsonObject>, update: Record<string, JsonObject>, prefix: string): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = { ...current };
  for (const [name, incoming] of Object.entries(update)) {
    const existing = Object.hasOwn(current, name) ? current[name] : undefined;
    const path = prefix + name;
    if (existing === undefined) {
      out[name] = incoming;
      continue;
    }
    const from = nodeType(existing);
    const to = nodeType(incoming);
    if (isObjectNode(existing) !== isObjectNode(incoming)) {
      throw isObjectNode(existing)
        ? illegalArgument('mapper_type_change', `can't merge a non object mapping [${path}] with an object mapping`)
        : typeChange(path, from, to);
    }
    if (from !== to) throw typeChange(path, from, to);
    const merged: JsonObject = { ...existing, ...incoming };
    checkDefinition(path, existing, merged);
    if (isObject(existing.properties) || isObject(incoming.properties)) {
      merged.properties = mergeProperties(asProps(existing.properties), asProps(incoming.properties), `${path}.`);
    }
    if (isObject(existing.fields) || isObject(incoming.fields)) merged.fields = mergeProperties(asProps(existing.fields), asProps(incoming.fields), `${path}.`);
    out[name] = merged;
  }
  return out;
}

function asProps(v: unknown): Record<string, JsonObject> {
  return isObject(v) ? (v as Record<string, JsonObject>) : {};
}

/** `update` merged into `current` (neither is changed), or the 400 OpenSearch gives. */
export function mergeLogicalMapping(current: LogicalMapping, update: LogicalMapping): LogicalMapping {
  const out: LogicalMapping = { ...current, properties: mergeProperties(current.properties, update.properties, '') };
  if (update.dynamic !== undefined) out.dynamic = update.dynamic;
  if (update.date_detection !== undefined) out.date_detection = update.date_detection;
  if (update.numeric_detection !== undefined) out.numeric_detection = update.numeric_detection;
  if (update._meta !== undefined) out._meta = update._meta;
  return out;
}
