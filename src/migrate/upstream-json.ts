/** Upstream calls of the migration driver: no client request behind them, JSON in and out. */
import { isObject, type Json } from '../core/json.ts';
import type { CallOptions } from '../ops/upstream-call.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';

export interface JsonAnswer {
  status: number;
  body: Json | undefined;
}

/** Thrown when the upstream refuses a step: the driver logs it and retries the step later. */
export class MigrationStepError extends Error {
  override readonly name = 'MigrationStepError';
}

export interface DriverCall extends CallOptions {
  /** The body is NDJSON (`_bulk`). */
  ndjson?: boolean;
}

export async function jsonCall(cluster: UpstreamCluster, opts: DriverCall): Promise<JsonAnswer> {
  const qs = opts.query !== undefined && [...opts.query.keys()].length > 0 ? `?${opts.query.toString()}` : '';
  const res = await cluster.request({
    method: opts.method,
    path: opts.path + qs,
    headers: opts.body === undefined ? {} : { 'content-type': opts.ndjson === true ? 'application/x-ndjson' : 'application/json' },
    body: opts.body,
    idempotent: opts.idempotent ?? (opts.method === 'GET' || opts.method === 'HEAD'),
  });
  const text = await res.body.text();
  let body: Json | undefined;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as Json);
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

/** The answer, or a step error naming what failed (never a document value). */
export function expectOk(answer: JsonAnswer, what: string, allowed: readonly number[] = []): JsonAnswer {
  if (answer.status < 300 || allowed.includes(answer.status)) return answer;
  const error = isObject(answer.body) && isObject(answer.body.error) ? answer.body.error : undefined;
  const type = typeof error?.type === 'string' ? error.type : `status ${answer.status}`;
  throw new MigrationStepError(`${what} failed: ${type}`);
}
