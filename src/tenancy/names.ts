/** Physical names (SPEC §4.2): tenant + logical index + placement → cluster, physical index, routing. */
import { DEFAULT_TEMPLATES, renderTemplate, templateProblem, type PlacementKind } from '../config/templates.ts';
import { indexNameProblem } from '../core/index-names.ts';
import { IsolationError, TenancyConfigError } from './errors.ts';
import type { LogicalMapping } from './mapping/logical-mapping.ts';
import type { PhysicalNamer } from './mapping/physical-names.ts';

export { DEFAULT_TEMPLATES, indexNameProblem, renderTemplate, type PlacementKind };
export type RoutingMode = 'tenant' | 'none';

/** Where one logical index of a tenant lives. */
export interface Target {
  lindex: string;
  placement: PlacementKind;
  cluster: string;
  physicalIndex: string;
  routing: RoutingMode;
  /**
   * Shared placement with per-tenant fields (SPEC §4.2): the logical mapping and the names its
   * fields have in the shared index. Absent: field names are the tenant's own (dedicated
   * placements, and shared indexes created before per-tenant fields).
   */
  fields?: TargetFields;
}

export interface TargetFields {
  mapping: LogicalMapping;
  namer: PhysicalNamer;
}

/** The placement fields needed here; the server's zod `PlacementConfig` satisfies it structurally. */
export interface PlacementInput {
  kind: PlacementKind;
  cluster?: string;
  index_template?: string;
  routing?: RoutingMode;
}

export const DEFAULT_CLUSTER = 'default';
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Throws unless `name` can be a tenant's logical index: a valid OpenSearch name, no leading `.`, no `:`. */
export function validateLogicalIndexName(name: string): void {
  let problem = indexNameProblem(name);
  // `.` names are system/hidden indexes and `:` is cross-cluster syntax: neither is a tenant's to use.
  if (problem === undefined && name.startsWith('.')) problem = "must not start with '.'";
  if (problem === undefined && name.includes(':')) problem = "must not contain ':'";
  if (problem !== undefined) {
    throw new IsolationError('invalid_index_name', `Invalid index name [${name}], ${problem}`, 'invalid_index_name_exception');
  }
}

export function assertTenantId(tenant: string): void {
  if (!TENANT_ID_PATTERN.test(tenant)) throw new TenancyConfigError('invalid_tenant_id', 'tenant id does not match ^[a-z0-9][a-z0-9_-]{0,63}$');
}

export function checkTemplate(template: string, kind: PlacementKind): void {
  const problem = templateProblem(template, kind);
  if (problem !== undefined) throw new TenancyConfigError('invalid_index_template', problem);
}

function isLogicalIndexName(name: string): boolean {
  try {
    validateLogicalIndexName(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Could `template`, rendered for `tenant`, produce `physical` for some valid logical index? Templates
 * are not injective across tenants: `t-{tenant}-{lindex}` gives `t-acme-x-orders` for acme's
 * `x-orders` and for acme-x's `orders`.
 */
export function couldRender(template: string, tenant: string, physical: string): boolean {
  let captured = false;
  const body = template.split(/(\{tenant\}|\{lindex\})/).map((part) => {
    if (part === '{tenant}') return escapeRegExp(tenant);
    if (part !== '{lindex}') return escapeRegExp(part);
    const group = captured ? '\\k<l>' : '(?<l>.+)';
    captured = true;
    return group;
  });
  const match = new RegExp(`^${body.join('')}$`).exec(physical);
  if (match === null) return false;
  const lindex = match.groups?.l;
  return lindex === undefined || isLogicalIndexName(lindex);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Resolve one logical index of a tenant to its physical target. */
export function resolveTarget(tenant: string, lindex: string, placement: PlacementInput): Target {
  assertTenantId(tenant);
  validateLogicalIndexName(lindex);
  const template = placement.index_template ?? DEFAULT_TEMPLATES[placement.kind];
  checkTemplate(template, placement.kind);
  const physicalIndex = renderTemplate(template, tenant, lindex);
  const problem = indexNameProblem(physicalIndex);
  if (problem !== undefined) throw new TenancyConfigError('invalid_index_template', `index template [${template}] produces an invalid index name: ${problem}`);
  if (placement.kind === 'cluster' && placement.cluster === undefined) {
    throw new TenancyConfigError('invalid_placement', 'a cluster placement must name its cluster');
  }
  return {
    lindex,
    placement: placement.kind,
    cluster: placement.cluster ?? DEFAULT_CLUSTER,
    physicalIndex,
    // Dedicated placements keep ids and bodies untouched, so there is nothing to route by.
    routing: placement.kind === 'shared' ? (placement.routing ?? 'tenant') : 'none',
  };
}
