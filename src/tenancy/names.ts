/** Physical names (SPEC §4.2): tenant + logical index + placement → cluster, physical index, routing. */
import { IsolationError, TenancyConfigError } from './errors.ts';

export type PlacementKind = 'shared' | 'index' | 'cluster';
export type RoutingMode = 'tenant' | 'none';

/** Where one logical index of a tenant lives. */
export interface Target {
  lindex: string;
  placement: PlacementKind;
  cluster: string;
  physicalIndex: string;
  routing: RoutingMode;
}

/** The placement fields needed here; the server's zod `PlacementConfig` satisfies it structurally. */
export interface PlacementInput {
  kind: PlacementKind;
  cluster?: string;
  index_template?: string;
  routing?: RoutingMode;
}

export const DEFAULT_CLUSTER = 'default';
export const DEFAULT_TEMPLATES: Readonly<Record<PlacementKind, string>> = {
  shared: 'osproxy-shared-{lindex}',
  index: 't-{tenant}-{lindex}',
  cluster: '{lindex}',
};
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const FORBIDDEN_CHARS = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#'];
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const PLACEHOLDER = /\{([^}]*)\}/g;

/** Why `name` is not a valid OpenSearch index name, or undefined when it is. */
export function indexNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name !== name.toLowerCase()) return 'must be lowercase';
  const bad = FORBIDDEN_CHARS.find((c) => name.includes(c));
  if (bad !== undefined) return `must not contain the character [${bad}]`;
  if (CONTROL_CHARS.test(name)) return 'must not contain control characters';
  if (/^[_\-+]/.test(name)) return "must not start with '_', '-', or '+'";
  if (name === '.' || name === '..') return "must not be '.' or '..'";
  if (Buffer.byteLength(name, 'utf8') > 255) return 'index name is too long, (must be no longer than 255 bytes)';
  return undefined;
}

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

/** Placeholders a template must carry so that distinct (tenant, lindex) pairs never share a dedicated index. */
const REQUIRED_PLACEHOLDERS: Readonly<Record<PlacementKind, readonly string[]>> = {
  shared: [], // documents are tagged and filtered, so any sharing is safe
  index: ['tenant', 'lindex'],
  cluster: ['lindex'], // the cluster is the tenant's own
};

export function checkTemplate(template: string, kind: PlacementKind): void {
  const used = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const unknown = used.find((p) => p !== 'tenant' && p !== 'lindex');
  if (unknown !== undefined) throw new TenancyConfigError('invalid_index_template', `index template [${template}] has an unknown placeholder {${unknown}}`);
  const missing = REQUIRED_PLACEHOLDERS[kind].find((p) => !used.includes(p));
  if (missing !== undefined) {
    throw new TenancyConfigError('invalid_index_template', `index template [${template}] for placement ${kind} must contain {${missing}}`);
  }
}

export function renderTemplate(template: string, tenant: string, lindex: string): string {
  return template.replaceAll('{tenant}', tenant).replaceAll('{lindex}', lindex);
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
