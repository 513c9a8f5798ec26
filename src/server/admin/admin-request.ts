/** What every `/_osproxy/admin/*` call shares: the operator check, TLS unless loopback, JSON bodies, audit lines. */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { z } from 'zod';
import type { Operator } from '../../auth/index.ts';
import type { JsonObject } from '../../core/json.ts';
import { readBody } from '../../http/body.ts';
import { forbidden, illegalArgument, OsproxyError, parseFailed } from '../../http/errors.ts';
import type { Services } from '../../ops/services.ts';
import { isLoopbackAddress } from '../loopback.ts';

export interface AdminCall {
  services: Services;
  req: IncomingMessage;
  query: URLSearchParams;
  operator: Operator;
}

/** The operator behind an admin call; changes need TLS unless the connection is on loopback. */
export function admitOperator(services: Services, req: IncomingMessage): Operator {
  const operator = services.operators.check(req.headers);
  const tls = (req.socket as TLSSocket).encrypted === true;
  if (!tls && !isLoopbackAddress(req.socket.localAddress)) {
    throw forbidden('admin_cleartext_refused', 'the admin API needs HTTPS unless it is called on loopback');
  }
  return operator;
}

/** The request body parsed by `schema`; every problem names the field (nothing is applied on failure). */
export async function adminBody<S extends z.ZodType>(call: AdminCall, schema: S): Promise<z.infer<S>> {
  const { body, release } = await readBody(call.req, call.services.config.limits.max_body_bytes, call.services.budget);
  release();
  let raw: unknown;
  try {
    raw = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw parseFailed('malformed_json', 'request body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.join('.');
    const what = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    throw illegalArgument('invalid_admin_body', `${path === '' ? 'body' : path}: ${what}`);
  }
  return parsed.data;
}

/** A non-negative integer URL parameter, or undefined when absent. */
export function intParam(query: URLSearchParams, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > max) throw illegalArgument('invalid_parameter', `parameter [${name}] must be a whole number ≤ ${max}`);
  return n;
}

/** One audit line per change: who, what, which tenant, when — never a secret. */
export function audit(call: AdminCall, action: string, detail: JsonObject): void {
  call.services.audit.info({ audit: { operator: call.operator.name, action, ...detail, at: new Date().toISOString() } }, `admin ${action}`);
}

/** 405 in OpenSearch's wording. */
export function methodNotAllowed(method: string, path: string, allowed: string[]): OsproxyError {
  return new OsproxyError({ status: 405, type: 'method_not_allowed', code: 'method_not_allowed', reason: `Incorrect HTTP method for uri [${path}] and method [${method}], allowed: [${allowed.join(', ')}]` });
}
