/**
 * Physical index templates (SPEC §4.2): `{tenant}` and `{lindex}` placeholders per placement kind.
 * Checked when the configuration (or a tenant document) is loaded, so that no request can meet a
 * template that cannot produce safe, valid names.
 */
import { indexNameProblem } from '../core/index-names.ts';

export type PlacementKind = 'shared' | 'index' | 'cluster';

export const DEFAULT_TEMPLATES: Readonly<Record<PlacementKind, string>> = {
  shared: 'osproxy-shared-{lindex}',
  index: 't-{tenant}-{lindex}',
  cluster: '{lindex}',
};

const PLACEHOLDER = /\{([^}]*)\}/g;

/** Placeholders a template must carry so that distinct (tenant, lindex) pairs never share a dedicated index. */
const REQUIRED_PLACEHOLDERS: Readonly<Record<PlacementKind, readonly string[]>> = {
  shared: [], // documents are tagged and filtered, so any sharing is safe
  index: ['tenant', 'lindex'],
  cluster: ['lindex'], // the cluster is the tenant's own
};

export function renderTemplate(template: string, tenant: string, lindex: string): string {
  return template.replaceAll('{tenant}', tenant).replaceAll('{lindex}', lindex);
}

/** Why `template` cannot serve placement `kind`, or undefined when it can. */
export function templateProblem(template: string, kind: PlacementKind): string | undefined {
  const used = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const unknown = used.find((p) => p !== 'tenant' && p !== 'lindex');
  if (unknown !== undefined) return `index template [${template}] has an unknown placeholder {${unknown}}`;
  const missing = REQUIRED_PLACEHOLDERS[kind].find((p) => !used.includes(p));
  if (missing !== undefined) return `index template [${template}] for placement ${kind} must contain {${missing}}`;
  // Tenant ids and logical names are valid lowercase names: what is left to break is the template's own text.
  const problem = indexNameProblem(renderTemplate(template, 't', 'l'));
  if (problem !== undefined) return `index template [${template}] produces an invalid index name: ${problem}`;
  return undefined;
}
