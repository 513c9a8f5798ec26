import { isObject } from '../json.ts';
import { wildcardMatch } from '../store/index-names.ts';
import type { FieldMapping, Mappings } from './types.ts';

/** One field's capabilities in one index (IndexFieldCapabilities). */
export interface IndexFieldCap {
  type: string;
  searchable: boolean;
  aggregatable: boolean;
  meta: Record<string, string>;
}

/**
 * The metadata fields of an OpenSearch 2.x index (IndicesModule's built-in metadata mappers) with
 * their field types' isSearchable/isAggregatable; field_caps reports them when a pattern matches.
 */
const METADATA_CAPS: [string, boolean, boolean][] = [
  ['_ignored', true, false],
  ['_id', true, true],
  ['_routing', true, false],
  ['_index', true, true],
  ['_data_stream_timestamp', false, false],
  ['_source', false, false],
  ['_nested_path', true, false],
  ['_version', false, false],
  ['_seq_no', true, true],
  ['_doc_count', false, false],
  ['_field_names', true, false],
];

const POINT_TYPES = new Set([
  'long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long',
  'date', 'date_nanos', 'boolean', 'ip', 'token_count',
]);

/** A mapped leaf field's type, searchable and aggregatable, as its MappedFieldType reports them. */
function leafCaps(f: FieldMapping): Omit<IndexFieldCap, 'meta'> {
  const type: string = f.type ?? 'object'; // the mapping keeps every known type, not only FieldType's
  const indexed = f.index !== false;
  const docValues = f.doc_values !== false;
  if (type === 'text') return { type, searchable: indexed, aggregatable: f.fielddata === true };
  if (type === 'match_only_text' || type === 'completion' || type === 'search_as_you_type') return { type, searchable: true, aggregatable: false };
  if (type === 'keyword' || type === 'constant_keyword' || type === 'wildcard' || POINT_TYPES.has(type)) {
    return { type, searchable: indexed, aggregatable: docValues };
  }
  if (type === 'binary') return { type, searchable: false, aggregatable: f.doc_values === true };
  if (type === 'geo_point' || type === 'flat_object' || type.endsWith('_range')) return { type, searchable: true, aggregatable: true };
  return { type, searchable: indexed, aggregatable: false };
}

function metaOf(f: FieldMapping): Record<string, string> {
  const meta = f.meta;
  if (!isObject(meta)) return {};
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, String(v)]));
}

interface Walked {
  leaves: Map<string, FieldMapping>;
  objects: Map<string, 'object' | 'nested'>;
}

/** Every field mapper by full name (multi-fields included) and every object mapper by path. */
function walk(props: Record<string, FieldMapping>, prefix: string, out: Walked): void {
  for (const [name, f] of Object.entries(props)) {
    const path = prefix + name;
    if (f.properties !== undefined || f.type === 'object' || f.type === 'nested') {
      out.objects.set(path, f.type === 'nested' ? 'nested' : 'object');
      walk(f.properties ?? {}, path + '.', out);
      continue;
    }
    out.leaves.set(path, f);
    for (const [sub, subField] of Object.entries(f.fields ?? {})) out.leaves.set(`${path}.${sub}`, subField);
  }
}

/**
 * TransportFieldCapabilitiesIndexAction.shardOperation: the field types whose names match a pattern
 * (aliases report their target), plus the object (or nested) fields above each of them.
 */
export function indexFieldCaps(mappings: Mappings, patterns: string[]): Map<string, IndexFieldCap> {
  const walked: Walked = { leaves: new Map(), objects: new Map() };
  walk(mappings.properties, '', walked);
  const out = new Map<string, IndexFieldCap>();
  const wanted = (name: string): boolean => patterns.some((p) => wildcardMatch(p, name));
  for (const [name, searchable, aggregatable] of METADATA_CAPS) {
    if (wanted(name)) out.set(name, { type: name, searchable, aggregatable, meta: {} });
  }
  for (const [name, f] of walked.leaves) {
    if (!wanted(name)) continue;
    const target = (f.type as string | undefined) === 'alias' && typeof f.path === 'string' ? walked.leaves.get(f.path) : f;
    if (target === undefined) continue;
    out.set(name, { ...leafCaps(target), meta: metaOf(target) });
    for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
      const parent = name.slice(0, dot);
      if (out.has(parent)) break;
      const kind = walked.objects.get(parent);
      if (kind !== undefined) out.set(parent, { type: kind, searchable: false, aggregatable: false, meta: {} });
    }
  }
  return out;
}
