/**
 * Diagnostics directives (SPEC §5.4, §6): an operator's instruction to every instance to record
 * more about — or to refuse — the requests of one tenant, index, principal or endpoint, for a
 * bounded time. Kept in the fleet store (kind `directive`, key = its id); each carries an absolute
 * expiry, so it stops by itself even if nobody removes it.
 */
import { z } from 'zod';
import { OBSERVE_LEVELS } from '../config/observe-schema.ts';
import { ENDPOINT_NAMES, type EndpointName } from '../http/endpoints.ts';

export const DIRECTIVE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** RFC 3339 in UTC (`2026-12-01T20:00:00Z`, fractions allowed): an expiry every instance reads alike. */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

const MatchSchema = z.strictObject({
  tenant: z.string().min(1).max(128).optional(),
  index: z.string().min(1).max(255).optional(),
  principal: z.string().min(1).max(256).optional(),
  endpoint: z.enum(ENDPOINT_NAMES as [EndpointName, ...EndpointName[]], { error: 'is not an endpoint name (the names of the endpoint table: search, doc_get, bulk, …; README "Endpoints served to tenants")' }).optional(),
});

const DirectiveFields = {
  match: MatchSchema.default({}),
  level: z.enum(OBSERVE_LEVELS, { error: `is required, one of ${OBSERVE_LEVELS.join(', ')}` }),
  sample_per_mille: z.number().int().min(0).max(1000).default(1000),
  expires_at: z.string({ error: 'is required: an RFC 3339 time in UTC, e.g. 2026-12-01T20:00:00Z' }).regex(UTC_TIME, 'must be an RFC 3339 time in UTC, e.g. 2026-12-01T20:00:00Z').refine((v) => Number.isFinite(Date.parse(v)), 'is not a valid time'),
  ring_buffer: z.strictObject({ size: z.number().int().min(1).max(100_000) }).optional(),
  refuse: z.strictObject({ status: z.union([z.literal(503), z.literal(403)], { error: 'must be 503 or 403' }) }).optional(),
};

/** What `PUT /_osproxy/admin/directives/{id}` accepts (the id is in the path only). */
export const DirectiveSchema = z.strictObject(DirectiveFields).superRefine((d, ctx) => {
  // A killswitch over everything would be an outage by typo: it must name a tenant or an endpoint.
  if (d.refuse !== undefined && d.match.tenant === undefined && d.match.endpoint === undefined) {
    ctx.addIssue({ code: 'custom', path: ['refuse'], message: 'a refusing directive needs match.tenant or match.endpoint' });
  }
});
export type Directive = z.infer<typeof DirectiveSchema>;

/** The stored document: the directive plus who published it, when, and its version (for CAS). */
export const DirectiveDocSchema = z.object({
  ...DirectiveFields,
  id: z.string(),
  version: z.number().int().min(1),
  published_at: z.number().int(),
  published_by: z.string(),
});
export type DirectiveDoc = z.infer<typeof DirectiveDocSchema>;
