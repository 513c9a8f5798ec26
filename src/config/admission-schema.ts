import { z } from 'zod';

/** Per-tenant admission overrides (SPEC §4.6). */
export const TenantAdmissionSchema = z.strictObject({
  share_percent: z.number().gt(0).max(100).optional().describe('This tenant’s share of each budget, in percent (overrides `admission.tenant_share_percent`).').meta({ examples: [50] }),
  rate_per_sec: z.number().min(0).optional().describe('Token-bucket rate (requests per second; 0 = unlimited).').meta({ examples: [200] }),
  burst: z.number().int().min(1).optional().describe('Token-bucket capacity (default: the rate, at least 1).').meta({ examples: [400] }),
}).describe('Per-tenant admission overrides.');
export type TenantAdmission = z.infer<typeof TenantAdmissionSchema>;

export const AdmissionSchema = z
  .strictObject({
    max_concurrent: z.number().int().min(1).default(512).describe('Global concurrency budget (requests in flight); beyond it 429 with Retry-After.'),
    max_concurrent_batch: z.number().int().min(1).default(64).describe('Separate budget for batch endpoints (bulk, mget, msearch, *_by_query); they count against both.'),
    tenant_share_percent: z.number().gt(0).max(100).default(25).describe('Each tenant may hold at most this percentage of each budget (at least one slot).'),
    rate_per_sec: z.number().min(0).default(0).describe('Default per-tenant token-bucket rate (requests per second; 0 = unlimited).'),
    burst: z.number().int().min(1).optional().describe('Default token-bucket capacity (default: the rate, at least 1).').meta({ examples: [100] }),
    tenants: z.record(z.string(), TenantAdmissionSchema).default({}).describe('Overrides by tenant id (the fleet store’s tenant documents can carry them too).'),
  })
  .prefault({})
  .describe('Admission control (SPEC §4.6): concurrency budgets, tenant shares, rate limits.');
export type AdmissionConfig = z.infer<typeof AdmissionSchema>;

export const MetricsSchema = z
  .strictObject({
    tenant_label_limit: z.number().int().min(0).default(50).describe('Per-tenant metric labels: at most this many tenants get a label of their own (the busiest by traffic; earned at a scrape, then kept), the rest are `other`.'),
  })
  .prefault({})
  .describe('Prometheus metrics (/_osproxy/metrics).');
export type MetricsConfig = z.infer<typeof MetricsSchema>;
