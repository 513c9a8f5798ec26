/**
 * Errors answered to clients in OpenSearch's shape (SPEC §4.7), plus osproxy's own block:
 * {"error":{"root_cause":[{type,reason}],type,reason},"status":S,"osproxy":{code,retryable,request_id}}.
 */
export class ProxyError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;

  constructor(status: number, type: string, code: string, reason: string, opts: { retryable?: boolean; headers?: Record<string, string> } = {}) {
    super(reason);
    this.status = status;
    this.type = type;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.headers = opts.headers ?? {};
  }

  get reason(): string {
    return this.message;
  }
}

/** Anything carrying an OpenSearch error shape (auth and tenancy errors are built this way too). */
export interface ShapedError {
  status: number;
  type: string;
  code: string;
  reason?: string;
  message: string;
  retryable?: boolean;
  headers?: Record<string, string>;
  wwwAuthenticate?: string;
}

export function isShapedError(e: unknown): e is ShapedError {
  if (!(e instanceof Error)) return false;
  const r = e as Partial<ShapedError>;
  return typeof r.status === 'number' && typeof r.type === 'string' && typeof r.code === 'string';
}

export interface ErrorBody {
  error: { root_cause: { type: string; reason: string }[]; type: string; reason: string };
  status: number;
  osproxy: { code: string; retryable: boolean; request_id: string };
}

export function errorBody(e: ShapedError, requestId: string): ErrorBody {
  const reason = e.reason ?? e.message;
  return {
    error: { root_cause: [{ type: e.type, reason }], type: e.type, reason },
    status: e.status,
    osproxy: { code: e.code, retryable: e.retryable ?? false, request_id: requestId },
  };
}

/** An unexpected failure: the client gets a 500 with a request id, never a stack trace. */
export function internalError(): ProxyError {
  return new ProxyError(500, 'internal_error', 'internal_error', 'osproxy hit an internal error; the request id identifies it in the logs');
}

export const badRequest = (code: string, reason: string, type = 'illegal_argument_exception'): ProxyError =>
  new ProxyError(400, type, code, reason);
