import { z } from 'zod';
import { AdmissionSchema, MetricsSchema } from './admission-schema.ts';
import { JwtSchema, OperatorsSchema } from './auth-schema.ts';
import { TENANT_ID, TenantSchema } from './tenant-schema.ts';

const MiB = 1024 * 1024;
/** The cursor sealing key's minimum length: a shorter key would make sealed ids forgeable by brute force. */
export const MIN_CURSOR_KEY_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const CursorKeySchema = z.string().refine(
  (v) => BASE64.test(v.trim()) && Buffer.from(v, 'base64').length >= MIN_CURSOR_KEY_BYTES,
  `must be base64 of at least ${MIN_CURSOR_KEY_BYTES} random bytes ('osproxy token key' prints one)`,
);

export const ListenerSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(9200),
  tls: z
    .strictObject({
      cert_file: z.string(),
      key_file: z.string(),
      ca_file: z.string().optional(),
      /** Client certificates: not asked for, asked for, or required (verified against ca_file). */
      client_cert: z.enum(['none', 'request', 'require']).default('none'),
    })
    .optional(),
});
export type ListenerConfig = z.infer<typeof ListenerSchema>;

export const ClusterSchema = z.strictObject({
  url: z.string().url(),
  /** Upstream credentials; the client's own Authorization is never forwarded. */
  auth: z
    .union([
      z.strictObject({ username: z.string(), password: z.string() }),
      z.strictObject({ bearer: z.string() }),
    ])
    .optional(),
  ca_file: z.string().optional(),
  cert_file: z.string().optional(),
  key_file: z.string().optional(),
  connections: z.number().int().min(1).default(64),
  connect_timeout_ms: z.number().int().min(1).default(5_000),
  request_timeout_ms: z.number().int().min(1).default(60_000),
  retries: z.number().int().min(0).max(5).default(2),
  breaker: z
    .strictObject({ failure_threshold: z.number().int().min(1).default(5), reset_ms: z.number().int().min(1).default(5_000) })
    .default({ failure_threshold: 5, reset_ms: 5_000 }),
});
export type ClusterConfig = z.infer<typeof ClusterSchema>;

export const ControlSchema = z
  .strictObject({
    /** `cluster`: an index on the control cluster, shared by the fleet; `memory`: this process only. */
    store: z.enum(['cluster', 'memory']).default('cluster'),
    /** The cluster holding the fleet store (default: the `default` cluster). */
    cluster: z.string().default('default'),
    /** The store's alias on that cluster (its concrete index is `<index>-v<N>`). */
    index: z.string().regex(/^\.[a-z0-9][a-z0-9._-]*$/, 'a lowercase index name starting with "."').default('.osproxy-fleet'),
    /** How often each instance reads the store's changes into its snapshot. */
    poll_ms: z.number().int().min(50).default(1_000),
    /** How often each instance writes its heartbeat. */
    heartbeat_ms: z.number().int().min(50).default(1_000),
    /** A snapshot older than this (store unreachable) makes /ready answer "degraded". */
    stale_after_ms: z.number().int().min(100).default(5_000),
    /** Every this often the whole store is read again (changes are read by _seq_no in between). */
    full_read_ms: z.number().int().min(1_000).default(60_000),
  })
  .prefault({});
export type ControlConfig = z.infer<typeof ControlSchema>;

export const ConfigSchema = z
  .strictObject({
    listeners: z.array(ListenerSchema).min(1).default([{ host: '127.0.0.1', port: 9200 }]),
    clusters: z.record(z.string(), ClusterSchema),
    tenants: z.record(z.string().regex(TENANT_ID, 'tenant ids match ^[a-z0-9][a-z0-9_-]{0,63}$'), TenantSchema).default({}),
    operators: OperatorsSchema.default([]),
    auth: z
      .strictObject({
        jwt: JwtSchema.optional(),
        /** Development only: any caller, tenant from x-osproxy-tenant; honoured on loopback listeners only. */
        dev_open: z.boolean().default(false),
      })
      .default({ dev_open: false }),
    tenancy: z
      .strictObject({
        reserved_fields: z.strictObject({ tenant: z.string().default('_tenant'), lindex: z.string().default('_lindex') }).default({ tenant: '_tenant', lindex: '_lindex' }),
        stored_script_allowlist: z.array(z.string()).default([]),
        /** The key (base64 of ≥ 32 random bytes) that seals scroll and PIT ids with AES-256-GCM; the same on every instance. Unset ⇒ cursor requests are refused (400). */
        cursor_key_b64: CursorKeySchema.optional(),
        /** Key rotation: earlier cursor keys, still accepted for unsealing (never for sealing). Keep one for the longest cursor keep-alive (24 h at most), then remove it. */
        cursor_previous_keys_b64: z.array(CursorKeySchema).default([]),
      })
      .default({ reserved_fields: { tenant: '_tenant', lindex: '_lindex' }, stored_script_allowlist: [], cursor_previous_keys_b64: [] }),
    limits: z
      .strictObject({
        max_body_bytes: z.number().int().min(1024).default(8 * MiB),
        max_inflight_bytes: z.number().int().min(1024).default(256 * MiB),
        max_hit_bytes: z.number().int().min(1024).default(64 * MiB),
        /** Streaming `_bulk`: the cap on one NDJSON line (default: max_body_bytes); longer lines fail their item. */
        max_bulk_line_bytes: z.number().int().min(1024).optional(),
        /** Streaming `_bulk`: an upstream batch per target is sent at this many items or bytes. */
        bulk_batch_docs: z.number().int().min(1).default(1000),
        bulk_batch_bytes: z.number().int().min(1024).default(5 * MiB),
        /** Streaming `_bulk`: upstream bulks in flight per request (the window, SPEC §4.6). */
        bulk_window: z.number().int().min(1).max(64).default(4),
      })
      .default({ max_body_bytes: 8 * MiB, max_inflight_bytes: 256 * MiB, max_hit_bytes: 64 * MiB, bulk_batch_docs: 1000, bulk_batch_bytes: 5 * MiB, bulk_window: 4 }),
    /** Operator passthrough: index prefixes served verbatim (no tenancy), for operator credentials only. */
    passthrough: z
      .strictObject({ instance: z.boolean().default(false), index_prefixes: z.array(z.string().min(1)).default([]) })
      .default({ instance: false, index_prefixes: [] }),
    /** The control plane (SPEC §5.1): where the fleet store lives and how often it is read. */
    control: ControlSchema,
    /** Admission control (SPEC §4.6): concurrency budgets, tenant shares, rate limits. */
    admission: AdmissionSchema,
    metrics: MetricsSchema,
    allow_cleartext_mutation: z.boolean().default(false),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.limits.max_body_bytes > cfg.limits.max_inflight_bytes) {
      // Such a body could never be buffered: it would be told to retry (429) forever.
      ctx.addIssue({ code: 'custom', path: ['limits', 'max_body_bytes'], message: 'must not exceed limits.max_inflight_bytes' });
    }
    if (cfg.clusters.default === undefined) {
      ctx.addIssue({ code: 'custom', path: ['clusters'], message: 'a cluster named "default" is required' });
    }
    if (cfg.clusters[cfg.control.cluster] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['control', 'cluster'], message: `unknown cluster "${cfg.control.cluster}"` });
    }
    for (const [tenant, t] of Object.entries(cfg.tenants)) {
      for (const p of [t.placement, ...Object.values(t.indices)]) {
        const cluster = p.cluster ?? 'default';
        if (cfg.clusters[cluster] === undefined) {
          ctx.addIssue({ code: 'custom', path: ['tenants', tenant], message: `placement names unknown cluster "${cluster}"` });
        }
      }
    }
  });

export type OsproxyConfig = z.infer<typeof ConfigSchema>;
