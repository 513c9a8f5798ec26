import type { Json } from '../json.ts';

export type NumericType =
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'double'
  | 'float'
  | 'half_float'
  | 'scaled_float'
  | 'unsigned_long';

export type FieldType =
  | 'text'
  | 'keyword'
  | NumericType
  | 'date'
  | 'boolean'
  | 'object'
  | 'nested'
  | 'ip'
  | 'binary'
  | 'flat_object';

/**
 * One field of a mapping as OpenSearch returns it. Extra parameters (format, ignore_above,
 * analyzer, index, ...) are kept verbatim so that GET _mapping answers what was put.
 */
export interface FieldMapping {
  type?: FieldType;
  properties?: Record<string, FieldMapping>;
  fields?: Record<string, FieldMapping>;
  [param: string]: Json | Record<string, FieldMapping> | undefined;
}

export interface Mappings {
  dynamic?: boolean | 'strict' | 'true' | 'false';
  /** `enabled: false` on the root: documents are kept in _source and nothing of them is parsed. */
  enabled?: boolean;
  /** Root-only dynamic mapping parameters (RootObjectMapper); absent means OpenSearch's default. */
  date_detection?: boolean;
  numeric_detection?: boolean;
  dynamic_date_formats?: string[];
  properties: Record<string, FieldMapping>;
  [param: string]: Json | Record<string, FieldMapping> | undefined;
}

export const NUMERIC_TYPES: ReadonlySet<string> = new Set<NumericType>([
  'long',
  'integer',
  'short',
  'byte',
  'double',
  'float',
  'half_float',
  'scaled_float',
  'unsigned_long',
]);

export const isNumericType = (t: string | undefined): t is NumericType => t !== undefined && NUMERIC_TYPES.has(t);
