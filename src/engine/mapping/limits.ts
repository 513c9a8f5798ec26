import { EngineError } from '../errors.ts';
import type { FieldMapping, Mappings } from './types.ts';

/** `index.mapping.total_fields.limit`'s default. */
export const DEFAULT_TOTAL_FIELDS_LIMIT = 1000;

function countProperties(props: Record<string, FieldMapping>): number {
  let n = 0;
  for (const field of Object.values(props)) {
    n++; // the field, object or nested mapper itself
    if (field.properties !== undefined) n += countProperties(field.properties);
    if (field.fields !== undefined) n += countProperties(field.fields);
  }
  return n;
}

/**
 * Fields as MappingLookup.checkFieldLimit counts them: every field mapper (multi-fields included),
 * alias and object mapper below the root; metadata fields do not count.
 */
export function countFields(mappings: Mappings): number {
  return countProperties(mappings.properties);
}

/** Throws OpenSearch's error when a mapping update would exceed the limit (explicit and dynamic updates alike). */
export function checkTotalFieldsLimit(mappings: Mappings, limit: number): void {
  if (countFields(mappings) > limit) {
    throw new EngineError(400, 'illegal_argument_exception', `Limit of total fields [${limit}] has been exceeded`);
  }
}
