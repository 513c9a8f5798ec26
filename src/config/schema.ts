import { z } from 'zod';
import { AdmissionSchema, MetricsSchema } from './admission-schema.ts';
import { JwtSchema, OperatorsSchema } from './auth-schema.ts';
import { ObserveSchema } from './observe-schema.ts';
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
  host: z.string().default('127.0.0.1').describe('Address to listen on. Writes over cleartext HTTP are refused unless it is loopback (or allow_cleartext_mutation is set).'),
  port: z.number().int().min(0).max(65535).default(9200).describe('Port to listen on (0 = any free port).'),
  tls: z
    .strictObject({
      cert_file: z.string().describe('PEM certificate (chain) of the listener; relative to the config file’s folder.').meta({ examples: ['tls/proxy.crt'] }),
      key_file: z.string().describe('PEM private key of cert_file.').meta({ examples: ['tls/proxy.key'] }),
      ca_file: z.string().optional().describe('PEM CA that client certificates are verified against.').meta({ examples: ['tls/clients-ca.crt'] }),
      client_cert: z.enum(['none', 'request', 'require']).default('none').describe('Client certificates (mTLS): not asked for, asked for, or required (verified against ca_file).'),
    })
    .optional()
    .describe('Serve HTTPS on this listener (absent: HTTP).'),
}).describe('One listening socket.');
export type ListenerConfig = z.infer<typeof ListenerSchema>;

export const ClusterSchema = z.strictObject({
  url: z.string().url().describe('Base URL of the OpenSearch 1.x/2.x (or Elasticsearch 7.x) cluster.').meta({ examples: ['https://opensearch-1:9200'] }),
  auth: z
    .union([
      z.strictObject({
        username: z.string().describe('Basic auth user osproxy connects as.').meta({ examples: ['osproxy'] }),
        password: z.string().describe('Its password.').meta({ examples: ['change-me'] }),
      }),
      z.strictObject({ bearer: z.string().describe('A bearer token osproxy sends instead.').meta({ examples: ['eyJ…'] }) }),
    ])
    .optional()
    .describe('Upstream credentials (basic or bearer); the client’s own Authorization is never forwarded.'),
  ca_file: z.string().optional().describe('PEM CA the cluster’s certificate is verified against.').meta({ examples: ['os-ca.crt'] }),
  cert_file: z.string().optional().describe('PEM client certificate osproxy presents to the cluster.').meta({ examples: ['osproxy-client.crt'] }),
  key_file: z.string().optional().describe('PEM private key of cert_file.').meta({ examples: ['osproxy-client.key'] }),
  connections: z.number().int().min(1).default(64).describe('Keep-alive connections in the pool to this cluster.'),
  connect_timeout_ms: z.number().int().min(1).default(5_000).describe('Connecting to the cluster gives up after this long.'),
  request_timeout_ms: z.number().int().min(1).default(60_000).describe('An upstream answer (headers, then each body chunk) must arrive within this; then 504.'),
  retries: z.number().int().min(0).max(5).default(2).describe('Retries of idempotent reads after a transport failure (writes are never retried).'),
  breaker: z
    .strictObject({
      failure_threshold: z.number().int().min(1).default(5).describe('Consecutive transport failures that open the circuit breaker (then 503 at once, /_osproxy/ready degraded).'),
      reset_ms: z.number().int().min(1).default(5_000).describe('How long the breaker stays open before one probe request is let through.'),
    })
    .default({ failure_threshold: 5, reset_ms: 5_000 })
    .describe('The cluster’s circuit breaker.'),
}).describe('An upstream cluster.');
export type ClusterConfig = z.infer<typeof ClusterSchema>;

export const ControlSchema = z
  .strictObject({
    store: z.enum(['cluster', 'memory']).default('cluster').describe('`cluster`: an index on the control cluster, shared by the fleet; `memory`: this process only.'),
    cluster: z.string().default('default').describe('The cluster holding the fleet store.'),
    index: z.string().regex(/^\.[a-z0-9][a-z0-9._-]*$/, 'a lowercase index name starting with "."').default('.osproxy-fleet').describe('The store’s alias on that cluster (its concrete index is `<index>-v<N>`).'),
    poll_ms: z.number().int().min(50).default(1_000).describe('How often each instance reads the store’s changes into its snapshot.'),
    heartbeat_ms: z.number().int().min(50).default(1_000).describe('How often each instance writes its heartbeat.'),
    stale_after_ms: z.number().int().min(100).default(5_000).describe('A snapshot older than this (store unreachable) makes /_osproxy/ready answer "degraded".'),
    full_read_ms: z.number().int().min(1_000).default(60_000).describe('Every this often the whole store is read again (changes are read by _seq_no in between).'),
    write_fence_ms: z.number().int().min(1_000).default(30_000).describe('An instance whose snapshot is older than this refuses writes (503, retryable): a migration’s cutover may then count it as fenced, so no two placements ever accept writes at once.'),
    migration_lease_ms: z.number().int().min(500).default(10_000).describe('A migration’s driver holds its lease this long without renewing it; another instance then takes over.'),
    migration_cleanup_grace_ms: z.number().int().min(0).default(24 * 3_600_000).describe('After a migration completes, its source is removed no sooner than this, and only once no open scroll or PIT can read it.'),
  })
  .prefault({})
  .describe('The control plane (SPEC §5.1): where the fleet store lives and how often it is read.');
export type ControlConfig = z.infer<typeof ControlSchema>;

export const ConfigSchema = z
  .strictObject({
    listeners: z.array(ListenerSchema).min(1).default([{ host: '127.0.0.1', port: 9200 }]).describe('The sockets osproxy listens on (HTTP or HTTPS).'),
    clusters: z.record(z.string(), ClusterSchema).describe('Upstream clusters by id; one must be named `default`.'),
    tenants: z
      .record(z.string().regex(TENANT_ID, 'tenant ids match ^[a-z0-9][a-z0-9_-]{0,63}$'), TenantSchema)
      .default({})
      .describe('Tenants by id (`^[a-z0-9][a-z0-9_-]{0,63}$`). Only seeds an empty fleet store; after that the store (admin API, `osproxy tenant`) is the source of truth.'),
    operators: OperatorsSchema.default([]).describe('Operator credentials: /_osproxy/metrics, explain, the admin API and passthrough.'),
    auth: z
      .strictObject({
        jwt: JwtSchema.optional().describe('Accept JWTs (Authorization: Bearer) signed by these keys, the tenant and roles taken from claims.'),
        dev_open: z.boolean().default(false).describe('Development only: any caller, tenant from x-osproxy-tenant; honoured on loopback listeners only, loudly logged.'),
      })
      .default({ dev_open: false })
      .describe('How tenants authenticate besides their principals’ tokens, passwords and certificates.'),
    tenancy: z
      .strictObject({
        reserved_fields: z
          .strictObject({
            tenant: z.string().default('_tenant').describe('Field holding the tenant id in every document of a shared index.'),
            lindex: z.string().default('_lindex').describe('Field holding the logical index name in every document of a shared index.'),
            id: z.string().default('_lid').describe('The tenant’s own document `_id`, a keyword in every document of a shared index (sorting, paging and aggregating on `_id` use it).'),
            epoch: z.string().default('_epoch').describe('The placement epoch a write was routed under, in every document of a shared index and of a dedicated index once it has been migrated (SPEC §5.3).'),
          })
          .prefault({})
          .describe('Names of the fields osproxy adds to every document of a shared index (tenants may never set them).'),
        stored_script_allowlist: z.array(z.string()).default([]).describe('Stored scripts (by id) a tenant in shared placement may run; inline scripts are refused there.').meta({ examples: [['bump-counter']] }),
        cursor_key_b64: CursorKeySchema.optional().describe('The key (base64 of ≥ 32 random bytes, `osproxy token key`) that seals scroll and PIT ids with AES-256-GCM; the same on every instance. Unset: cursor requests are refused (400).').meta({ examples: ['q8R0n1P0m6cB5l8Yp2v3x4w5z6A7B8C9D0E1F2G3H4I='] }),
        cursor_previous_keys_b64: z.array(CursorKeySchema).default([]).describe('Key rotation: earlier cursor keys, still accepted for unsealing (never for sealing). Keep one for the longest cursor keep-alive (24 h at most), then remove it.'),
        field_quota_per_index: z.number().int().min(10).max(100_000).default(500).describe('Fields (as OpenSearch counts them) one logical index may have in shared placement; beyond it a write or mapping update is refused (400).'),
        shared_total_fields_limit: z
          .number()
          .int()
          .min(1_000)
          .max(1_000_000)
          .default(10_000)
          .describe('`index.mapping.total_fields.limit` of the shared indexes osproxy creates; logical indexes are placed so that no shared index can reach it.'),
      })
      .prefault({})
      .describe('Tenant isolation settings.'),
    limits: z
      .strictObject({
        max_body_bytes: z.number().int().min(1024).default(8 * MiB).describe('A buffered request body larger than this is refused (413).'),
        max_inflight_bytes: z.number().int().min(1024).default(256 * MiB).describe('All buffered request bodies together; beyond it requests get 429 with Retry-After.'),
        max_hit_bytes: z.number().int().min(1024).default(64 * MiB).describe('The largest single hit (or value) a streamed response may carry; the stream is cut beyond it.'),
        max_bulk_line_bytes: z.number().int().min(1024).optional().describe('Streaming `_bulk`: the cap on one NDJSON line (default: max_body_bytes); longer lines fail their item.').meta({ examples: [1048576] }),
        bulk_batch_docs: z.number().int().min(1).default(1000).describe('Streaming `_bulk`: an upstream batch per target is sent at this many items…'),
        bulk_batch_bytes: z.number().int().min(1024).default(5 * MiB).describe('…or at this many bytes.'),
        bulk_window: z.number().int().min(1).max(64).default(4).describe('Streaming `_bulk`: upstream bulks in flight per request (the window, SPEC §4.6).'),
      })
      .default({ max_body_bytes: 8 * MiB, max_inflight_bytes: 256 * MiB, max_hit_bytes: 64 * MiB, bulk_batch_docs: 1000, bulk_batch_bytes: 5 * MiB, bulk_window: 4 })
      .describe('Memory bounds.'),
    passthrough: z
      .strictObject({
        instance: z.boolean().default(false).describe('Serve every request verbatim (an instance dedicated to operator traffic: no tenant is served on it).'),
        index_prefixes: z.array(z.string().min(1)).default([]).describe('Index prefixes served verbatim, streaming both ways, to operator credentials.').meta({ examples: [['logs-ops-']] }),
      })
      .default({ instance: false, index_prefixes: [] })
      .describe('Operator passthrough: no tenancy, for operator credentials only.'),
    control: ControlSchema,
    admission: AdmissionSchema,
    metrics: MetricsSchema,
    observe: ObserveSchema,
    allow_cleartext_mutation: z.boolean().default(false).describe('Accept writes over cleartext HTTP on non-loopback listeners (otherwise 403).'),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level (JSON lines on stdout); changes on SIGHUP.'),
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
