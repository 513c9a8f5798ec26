/**
 * One request's tenant scope (SPEC §3 "resolve"): who the caller is, which tenant it is bound to,
 * and where that tenant's logical indexes live. Built once per request from the control snapshot
 * by the resolve stage; endpoint handlers read placements, targets and tenancy settings only here.
 */
import type { Binding, Principal, Role } from '../auth/index.ts';
import type { ControlSnapshot } from '../control/snapshot.ts';
import { indexNotFound, internalError } from '../http/errors.ts';
import { buildHitContext, type HitContext, type ReservedFields, type SearchScope, type Target } from '../tenancy/index.ts';
import type { CursorKeys } from '../tenancy/cursor-seal.ts';
import type { Classified } from '../http/classify.ts';
import { matchExpression } from './index-expression.ts';
import { pathIndices } from './path-indices.ts';

/** The tenancy settings of the configuration, prepared once (the cursor key decoded). */
export interface TenancySettings {
  readonly reserved: Required<ReservedFields>;
  /** Fields one logical index may have in shared placement. */
  readonly fieldQuota: number;
  /** The total-fields limit of the shared indexes osproxy creates. */
  readonly sharedFieldsLimit: number;
  readonly storedScriptAllowlist: ReadonlySet<string>;
  /** Seal (current) and unseal (current or previous) scroll and PIT ids; undefined ⇒ cursors are refused. */
  readonly cursorKeys: CursorKeys | undefined;
}

export interface ResolvedIndices {
  targets: Target[];
  /** Concrete names that are not registered (404 unless ignore_unavailable). */
  missing: string[];
  /** Wildcard parts that matched nothing (404 with allow_no_indices=false). */
  unmatched: string[];
}

/** What the path's `{index}` resolved to (see IndexKind in http/endpoints.ts). */
export type PathIndices =
  | { kind: 'one'; lindex: string; target: Target }
  | ({ kind: 'expression' } & ResolvedIndices)
  | { kind: 'default'; lindex: string | undefined }
  | { kind: 'none' };

export class RequestScope {
  readonly tenant: string;
  readonly principal: Principal;
  readonly roles: ReadonlySet<Role>;
  readonly reserved: Required<ReservedFields>;
  /** What the path's `{index}` resolved to, eagerly: a bad or ambiguous name fails here. */
  readonly path: PathIndices;

  /** `allow_no_indices=false`: an expression (or a wildcard in it) that names nothing is a 404, as in OpenSearch. */
  private readonly allowNoIndices: boolean;
  private readonly expression: string | undefined;

  constructor(
    private readonly snapshot: ControlSnapshot,
    binding: Binding,
    readonly settings: TenancySettings,
    endpoint: Classified,
    query?: URLSearchParams,
  ) {
    this.allowNoIndices = query?.get('allow_no_indices') !== 'false';
    this.expression = endpoint.index;
    this.tenant = binding.tenant;
    this.principal = binding.principal;
    this.roles = binding.roles;
    this.reserved = settings.reserved;
    this.path = pathIndices(this, endpoint);
  }

  /** Where one of the tenant's logical indexes lives (the name is validated). */
  target(lindex: string): Target {
    return this.snapshot.target(this.tenant, lindex);
  }

  /** Whether the logical index exists (created explicitly or by a first write). */
  has(lindex: string): boolean {
    return this.snapshot.hasIndex(this.tenant, lindex);
  }

  createdAt(lindex: string): number | undefined {
    return this.snapshot.createdAt(this.tenant, lindex);
  }

  epoch(lindex: string): number {
    return this.snapshot.epoch(this.tenant, lindex);
  }

  /** An index expression resolved against this tenant's logical indexes only. */
  resolve(expr: string | undefined): ResolvedIndices {
    const { names, missing, unmatched } = matchExpression(expr, this.snapshot.indexes(this.tenant), (n) => this.has(n));
    return { targets: names.map((n) => this.target(n)), missing, unmatched };
  }

  /** The path's single logical index (endpoints of kind `one`). */
  one(): { lindex: string; target: Target } {
    if (this.path.kind !== 'one') throw internalError();
    return this.path;
  }

  /** The path's resolved index expression (endpoints of kind `expression`); a wildcard naming nothing is a 404 with allow_no_indices=false. */
  indices(): ResolvedIndices {
    if (this.path.kind !== 'expression') throw internalError();
    if (!this.allowNoIndices && this.path.unmatched.length > 0) throw indexNotFound(this.path.unmatched[0]);
    return this.path;
  }

  /** The path's targets; a missing concrete name is a 404 unless `ignoreUnavailable`. */
  existingTargets(ignoreUnavailable: boolean): Target[] {
    const { targets, missing } = this.indices();
    if (missing.length > 0 && !ignoreUnavailable) throw indexNotFound(missing[0]);
    if (!this.allowNoIndices && targets.length === 0) throw indexNotFound(this.expression ?? '_all');
    return targets;
  }

  /** The path's default `_index` for body items (endpoints of kind `default`). */
  defaultIndex(): string | undefined {
    return this.path.kind === 'default' ? this.path.lindex : undefined;
  }

  searchScope(targets: Target[], lookupTargets?: Target[]): SearchScope {
    return { tenant: this.tenant, targets, reserved: this.reserved, storedScriptAllowlist: this.settings.storedScriptAllowlist, lookupTargets };
  }

  hitContext(targets: readonly Target[]): HitContext {
    return buildHitContext(this.tenant, targets, this.reserved);
  }
}
