/**
 * Field names in a tenant's request → names in the searched indexes. Indexes with per-tenant
 * fields (shared placement) answer with the tenant's own physical names — and, for a field the
 * tenant does not have, a name nothing is mapped under, so that no other tenant's field can change
 * the answer or the error; other indexes keep the name as it is. When the searched indexes name a
 * field differently, a query on it becomes one clause per name.
 */
import { isObject, type JsonObject } from '../../core/json.ts';
import type { Target } from '../names.ts';
import { isObjectNode, type LogicalMapping } from './logical-mapping.ts';
import { UNMAPPED_TAG, type PhysicalNamer } from './physical-names.ts';

export interface FieldResolver {
  /** True when every searched index keeps the tenant's names (nothing to rewrite). */
  readonly identity: boolean;
  /**
   * The names of a field (or pattern, `^boost` kept) in the searched indexes: one or more. With
   * `docValues`, a pattern expands only to fields that have doc values, as a pattern in
   * `docvalue_fields` does in the index itself.
   */
  names(field: string, docValues?: boolean): string[];
}

const IDENTITY: FieldResolver = { identity: true, names: (f) => [f] };

/** Types that never have doc values (text needs fielddata; objects are not leaves). */
const NO_DOC_VALUES = new Set(['text', 'match_only_text', 'object', 'nested', 'binary', 'annotated_text']);

function hasDocValues(node: JsonObject): boolean {
  const type = typeof node.type === 'string' ? node.type : 'object';
  if (node.doc_values === false) return false;
  return !NO_DOC_VALUES.has(type) || node.fielddata === true;
}

interface Fielded {
  mapping: LogicalMapping;
  namer: PhysicalNamer;
}

/** Every field path of a mapping with its node: objects, leaves and multi-fields. */
function allPaths(props: Record<string, JsonObject>, prefix = '', out: [string, JsonObject][] = []): [string, JsonObject][] {
  for (const [name, node] of Object.entries(props)) {
    const path = prefix + name;
    out.push([path, node]);
    if (isObjectNode(node) && isObject(node.properties)) allPaths(node.properties as Record<string, JsonObject>, `${path}.`, out);
    if (isObject(node.fields)) {
      for (const [sub, subNode] of Object.entries(node.fields)) if (isObject(subNode)) out.push([`${path}.${sub}`, subNode]);
    }
  }
  return out;
}

function patternRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
}

function splitBoost(field: string): [string, string] {
  const caret = field.indexOf('^');
  return caret === -1 ? [field, ''] : [field.slice(0, caret), field.slice(caret)];
}

class TenantFields implements FieldResolver {
  readonly identity = false;
  private readonly memo = new Map<string, string[]>();

  constructor(
    private readonly fielded: readonly Fielded[],
    /** Some searched index keeps the tenant's names as they are. */
    private readonly plain: boolean,
  ) {}

  names(field: string, docValues = false): string[] {
    const [base, boost] = splitBoost(field);
    // Metadata fields (`_id`, `_score`, `_seq_no`…) are the index's own, never the tenant's.
    if (base.startsWith('_') || base === '') return [field];
    const key = docValues ? `\u0000${base}` : base;
    let names = this.memo.get(key);
    if (names === undefined) this.memo.set(key, (names = this.resolve(base, docValues)));
    return boost === '' ? names : names.map((n) => n + boost);
  }

  private resolve(base: string, docValues: boolean): string[] {
    const out = new Set<string>();
    const pattern = base.includes('*') || base.includes('?');
    for (const { mapping, namer } of this.fielded) {
      if (!pattern) {
        const p = namer.path(mapping, base);
        if (p !== undefined) out.add(p);
        continue;
      }
      const re = patternRegExp(base);
      for (const [path, node] of allPaths(mapping.properties)) {
        if (!re.test(path) || (docValues && !hasDocValues(node))) continue;
        const p = namer.path(mapping, path);
        if (p !== undefined) out.add(p);
      }
    }
    if (this.plain) out.add(base);
    if (out.size === 0) out.add(`${base}${UNMAPPED_TAG}`);
    return [...out];
  }
}

/** The resolver for a request's targets. */
export function fieldResolver(targets: readonly Target[]): FieldResolver {
  const fielded = targets.flatMap((t) => (t.fields === undefined ? [] : [t.fields]));
  if (fielded.length === 0) return IDENTITY;
  return new TenantFields(fielded, targets.some((t) => t.fields === undefined));
}
