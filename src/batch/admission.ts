import { PlainCounter } from '../core/plain-metrics.ts';
import { Counter, Gauge, type Registry } from '../core/prom-parts.ts';
import type { EndpointName } from '../http/endpoints.ts';
import { rejectedExecution, type OsproxyError } from '../http/errors.ts';
import type { AdmissionConfig, TenantAdmission } from '../config/admission-schema.ts';
import { TenantLabels } from './tenant-labels.ts';
import { retryAfterSeconds, TokenBucket } from './token-bucket.ts';

/** Endpoints that count against the batch budget as well as the global one. */
export const BATCH_ENDPOINTS: ReadonlySet<EndpointName> = new Set<EndpointName>(['bulk', 'mget', 'msearch', 'delete_by_query', 'update_by_query']);

export type RejectionReason = 'tenant_concurrency_exceeded' | 'tenant_rate_limited' | 'proxy_overloaded';

/** An admitted request's hold on the budgets; `release` is idempotent. */
export interface Ticket {
  readonly admitted: true;
  release(): void;
}

export interface Rejection {
  readonly admitted: false;
  readonly reason: RejectionReason;
  /** Whole seconds, at least 1. */
  readonly retryAfter: number;
}

/** A tenant may hold at most `percent` of a budget, and always at least one slot. */
export function shareSlots(budget: number, percent: number): number {
  return Math.min(budget, Math.max(1, Math.floor((budget * percent) / 100)));
}

interface TenantState {
  global: number;
  batch: number;
  bucket?: TokenBucket;
}

const REASONS: Record<RejectionReason, string> = {
  tenant_concurrency_exceeded: 'the tenant has too many requests in flight',
  tenant_rate_limited: 'the tenant exceeded its request rate',
  proxy_overloaded: 'the proxy is at its concurrency limit',
};

/** The 429 a rejection is answered with (OpenSearch's shape, SPEC §4.7), with Retry-After. */
export function rejectionError(r: Rejection): OsproxyError {
  return rejectedExecution(r.reason, `${REASONS[r.reason]}; retry after ${r.retryAfter}s`, r.retryAfter);
}

class AdmissionMetrics {
  /** Counted on every admitted request: bound series (no label resolution per request). */
  readonly admitted: PlainCounter;
  readonly rejected: Counter<'tenant' | 'kind' | 'reason'>;

  constructor(registry: Registry, inUse: (budget: 'global' | 'batch') => number, limits: { global: number; batch: number }) {
    const registers = [registry];
    this.admitted = new PlainCounter('osproxy_admission_admitted_total', 'Requests admitted, by tenant (top N + other) and kind', ['tenant', 'kind'], registry);
    this.rejected = new Counter({ name: 'osproxy_admission_rejected_total', help: 'Requests rejected by admission control, by tenant (top N + other), kind and reason', labelNames: ['tenant', 'kind', 'reason'], registers });
    new Gauge({
      name: 'osproxy_admission_in_use',
      help: 'Concurrency budget slots in use',
      labelNames: ['budget'],
      registers,
      collect() {
        this.set({ budget: 'global' }, inUse('global'));
        this.set({ budget: 'batch' }, inUse('batch'));
      },
    });
    new Gauge({
      name: 'osproxy_admission_limit',
      help: 'Concurrency budget size',
      labelNames: ['budget'],
      registers,
      collect() {
        this.set({ budget: 'global' }, limits.global);
        this.set({ budget: 'batch' }, limits.batch);
      },
    });
  }
}

export interface AdmissionOptions {
  registry?: Registry;
  /** First-N-seen tenant labels with this N, unless `tenantLabel` says a tenant's label. */
  tenantLabelLimit?: number;
  /** A tenant's label in the per-tenant series (the proxy's top-N-by-traffic labelling). */
  tenantLabel?: (tenant: string) => string;
  /** Monotonic milliseconds (tests pass a fake clock). */
  now?: () => number;
  /** A tenant's own overrides (its fleet store document), ahead of `config.tenants`. */
  overridesOf?: (tenant: string) => TenantAdmission | undefined;
}

/**
 * Admission control (SPEC §4.6): a global concurrency budget, a separate batch budget, per-tenant
 * shares of each, and per-tenant token buckets. Decided before anything is sent upstream.
 */
export class Admission {
  private readonly tenants = new Map<string, TenantState>();
  private global = 0;
  private batch = 0;
  private readonly now: () => number;
  private readonly metrics?: AdmissionMetrics;
  private readonly labelOf: (tenant: string) => string;
  private readonly overridesOf: (tenant: string) => TenantAdmission | undefined;

  constructor(
    private config: AdmissionConfig,
    opts: AdmissionOptions = {},
  ) {
    this.now = opts.now ?? (() => performance.now());
    this.overridesOf = opts.overridesOf ?? (() => undefined);
    if (opts.tenantLabel !== undefined) this.labelOf = opts.tenantLabel;
    else {
      const labels = new TenantLabels(opts.tenantLabelLimit ?? 50);
      this.labelOf = (tenant) => labels.of(tenant);
    }
    if (opts.registry) {
      this.metrics = new AdmissionMetrics(opts.registry, (b) => this.inUse(b), { global: config.max_concurrent, batch: config.max_concurrent_batch });
    }
  }

  /** New budgets and rates (SIGHUP); requests in flight keep their slots, buckets restart. */
  reconfigure(config: AdmissionConfig): void {
    this.config = config;
    for (const [tenant, s] of this.tenants) s.bucket = this.newBucket(tenant);
  }

  private overrides(tenant: string): TenantAdmission | undefined {
    return this.overridesOf(tenant) ?? this.config.tenants[tenant];
  }

  /** Slots in use in a budget. */
  inUse(budget: 'global' | 'batch'): number {
    return budget === 'global' ? this.global : this.batch;
  }

  /** Slots a tenant may hold in a budget. */
  tenantLimit(tenant: string, budget: 'global' | 'batch'): number {
    const percent = this.overrides(tenant)?.share_percent ?? this.config.tenant_share_percent;
    return shareSlots(budget === 'global' ? this.config.max_concurrent : this.config.max_concurrent_batch, percent);
  }

  private newBucket(tenant: string): TokenBucket | undefined {
    const o = this.overrides(tenant);
    const rate = o?.rate_per_sec ?? this.config.rate_per_sec;
    const burst = o?.burst ?? this.config.burst ?? Math.max(1, Math.ceil(rate));
    return rate > 0 ? new TokenBucket(rate, burst, this.now()) : undefined;
  }

  /** Tracked tenants (those with requests in flight or a partly drained bucket). */
  get trackedTenants(): number {
    return this.tenants.size;
  }

  private stateOf(tenant: string): TenantState {
    let s = this.tenants.get(tenant);
    if (s === undefined) {
      s = { global: 0, batch: 0, bucket: this.newBucket(tenant) };
      this.tenants.set(tenant, s);
    }
    return s;
  }

  private drop(tenant: string, s: TenantState): void {
    if (s.global === 0 && s.batch === 0 && (s.bucket === undefined || s.bucket.isFull(this.now()))) this.tenants.delete(tenant);
  }

  private reject(tenant: string, s: TenantState, kind: string, reason: RejectionReason, retryAfter: number): Rejection {
    this.metrics?.rejected.inc({ tenant: this.labelOf(tenant), kind, reason });
    this.drop(tenant, s);
    return { admitted: false, reason, retryAfter };
  }

  tryAdmit(tenant: string, isBatch: boolean): Ticket | Rejection {
    const kind = isBatch ? 'batch' : 'standard';
    const s = this.stateOf(tenant);
    const now = this.now();
    const wait = s.bucket?.waitMs(now) ?? 0;
    if (wait > 0) return this.reject(tenant, s, kind, 'tenant_rate_limited', retryAfterSeconds(wait));
    if (s.global >= this.tenantLimit(tenant, 'global') || (isBatch && s.batch >= this.tenantLimit(tenant, 'batch'))) {
      return this.reject(tenant, s, kind, 'tenant_concurrency_exceeded', 1);
    }
    if (this.global >= this.config.max_concurrent || (isBatch && this.batch >= this.config.max_concurrent_batch)) {
      return this.reject(tenant, s, kind, 'proxy_overloaded', 1);
    }
    s.bucket?.tryTake(now);
    s.global++;
    this.global++;
    if (isBatch) {
      s.batch++;
      this.batch++;
    }
    this.metrics?.admitted.child(this.labelOf(tenant), kind).inc();
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        s.global--;
        this.global--;
        if (isBatch) {
          s.batch--;
          this.batch--;
        }
        this.drop(tenant, s);
      },
    };
  }
}
