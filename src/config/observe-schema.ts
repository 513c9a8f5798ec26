import { z } from 'zod';

/**
 * How much one request records (SPEC §6), lowest first: `off` nothing, `shape` a compact explain
 * record (endpoint, path template, tenant, indexes, placement, epoch, sizes), `timing` adds the
 * per-stage durations, `rewrite` adds the request's shape before and after rewriting (field
 * names and query kinds, never values).
 */
export const OBSERVE_LEVELS = ['off', 'shape', 'timing', 'rewrite'] as const;
export type ObserveLevel = (typeof OBSERVE_LEVELS)[number];

/** A level's rank: a directive or a debug header only ever raises the level. */
export const levelRank = (level: ObserveLevel): number => OBSERVE_LEVELS.indexOf(level);

export const TracesSchema = z
  .strictObject({
    otlp_endpoint: z.url().optional().describe('OTLP/HTTP traces endpoint (e.g. `http://collector:4318/v1/traces`); traces are off without it.').meta({ examples: ['http://127.0.0.1:4318/v1/traces'] }),
    service_name: z.string().min(1).default('osproxy').describe('`service.name` of the exported spans.'),
    sample_per_mille: z.number().int().min(0).max(1000).default(1000).describe('Requests traced per thousand, among those without a valid incoming `traceparent` (one with it follows its sampled flag).'),
    max_queue: z.number().int().min(1).default(2048).describe('Finished spans waiting for export; beyond it new ones are dropped (and counted), never the request delayed.'),
    export_interval_ms: z.number().int().min(10).default(1000).describe('How often queued spans are exported.'),
    export_timeout_ms: z.number().int().min(100).default(10_000).describe('How long one export may take, retries included, before its spans count as failed (also bounds the flush on shutdown).'),
  })
  .prefault({})
  .describe('Distributed tracing (off by default): W3C `traceparent` continued, one span per stage, exported over OTLP/HTTP off the request path.');
export type TracesConfig = z.infer<typeof TracesSchema>;

export const ObserveSchema = z
  .strictObject({
    level: z.enum(OBSERVE_LEVELS).default('shape').describe('What every request records, before directives raise it (`off`, `shape`, `timing`, `rewrite`).'),
    debug_header_key: z.string().min(32).optional().describe('HMAC-SHA256 key that signs `X-Debug-Directive` headers (`osproxy directive sign`); without it the header is ignored (and counted).').meta({ examples: ['a-long-random-secret-of-at-least-32-characters'] }),
    debug_header_max_ttl_s: z.number().int().min(1).default(3600).describe('A debug header whose expiry is further away than this is refused (`ttl_too_long`).'),
    explain_ring: z.number().int().min(16).default(1024).describe('Explain records kept per worker for `/_osproxy/explain/{id}`.'),
    breakglass_max: z.number().int().min(1).default(10_000).describe('The largest `ring_buffer.size` a directive may ask for.'),
    breakglass_keep_s: z.number().int().min(0).default(3600).describe('How long a break-glass ring stays readable after its directive expired or was removed.'),
    directive_max_ttl_s: z.number().int().min(60).default(7 * 86_400).describe('The furthest `expires_at` a directive may have, from when it is published (a directive is for a bounded time).'),
    traces: TracesSchema,
  })
  .prefault({})
  .describe('Observability (SPEC §6): the baseline level, debug headers, explain records and traces.');
export type ObserveConfig = z.infer<typeof ObserveSchema>;
