import { z } from 'zod';

/** Per-tenant admission overrides (SPEC §4.6). */
export const TenantAdmissionSchema = z.strictObject({
  /** This tenant's share of each budget, in percent (overrides `tenant_share_percent`). */
  share_percent: z.number().gt(0).max(100).optional(),
  /** Token-bucket rate (requests per second; 0 = unlimited). */
  rate_per_sec: z.number().min(0).optional(),
  /** Token-bucket capacity (default: the rate, at least 1). */
  burst: z.number().int().min(1).optional(),
});
export type TenantAdmission = z.infer<typeof TenantAdmissionSchema>;

export const AdmissionSchema = z
  .strictObject({
    /** Global concurrency budget (requests in flight). */
    max_concurrent: z.number().int().min(1).default(512),
    /** Separate budget for batch endpoints (bulk, mget, msearch, *_by_query); they count against both. */
    max_concurrent_batch: z.number().int().min(1).default(64),
    /** Each tenant may hold at most this percentage of each budget (at least one slot). */
    tenant_share_percent: z.number().gt(0).max(100).default(25),
    /** Default per-tenant token-bucket rate (requests per second; 0 = unlimited). */
    rate_per_sec: z.number().min(0).default(0),
    /** Default token-bucket capacity (default: the rate, at least 1). */
    burst: z.number().int().min(1).optional(),
    tenants: z.record(z.string(), TenantAdmissionSchema).default({}),
  })
  .prefault({});
export type AdmissionConfig = z.infer<typeof AdmissionSchema>;

export const MetricsSchema = z
  .strictObject({
    /** Per-tenant metric labels: this many tenants keep their own label, the rest are `other`. */
    tenant_label_limit: z.number().int().min(0).default(50),
  })
  .prefault({});
export type MetricsConfig = z.infer<typeof MetricsSchema>;
