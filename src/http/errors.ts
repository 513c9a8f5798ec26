/**
 * Every client-facing error is an OsproxyError (SPEC §4.7): OpenSearch's shape
 * {"error":{"root_cause":[{type,reason}],type,reason},"status":S} plus osproxy's own block
 * {"osproxy":{code,retryable,request_id}}. Subsystems raise it through the named factories below
 * (auth and tenancy have subclasses of their own); anything else reaching a client is a bare 500.
 */
export interface ErrorInit {
  status: number;
  /** OpenSearch's exception type, so that clients parse it (`illegal_argument_exception`, …). */
  type: string;
  /** osproxy's stable slug for the failure (`unsupported_parameter`, `tenant_suspended`, …). */
  code: string;
  reason: string;
  retryable?: boolean;
  /** Extra response headers (`retry-after`, `www-authenticate`). */
  headers?: Record<string, string>;
  /** Metadata OpenSearch adds to the exception's body (`index`, `resource.type`, …), in root_cause and error. */
  metadata?: Record<string, string>;
}

export class OsproxyError extends Error {
  override readonly name: string = 'OsproxyError';
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;
  readonly metadata: Record<string, string>;

  constructor(init: ErrorInit) {
    super(init.reason);
    this.status = init.status;
    this.type = init.type;
    this.code = init.code;
    this.retryable = init.retryable ?? false;
    this.headers = init.headers ?? {};
    this.metadata = init.metadata ?? {};
  }

  get reason(): string {
    return this.message;
  }
}

export interface ErrorBody {
  error: { root_cause: ({ type: string; reason: string } & Record<string, string>)[]; type: string; reason: string };
  status: number;
  osproxy: { code: string; retryable: boolean; request_id: string };
}

export function errorBody(e: OsproxyError, requestId: string): ErrorBody {
  const reason = e.reason;
  return {
    error: { root_cause: [{ type: e.type, reason, ...e.metadata }], type: e.type, reason, ...e.metadata },
    status: e.status,
    osproxy: { code: e.code, retryable: e.retryable, request_id: requestId },
  };
}

/** An unexpected failure: the client gets a 500 with a request id, never a stack trace. */
export function internalError(): OsproxyError {
  return new OsproxyError({ status: 500, type: 'internal_error', code: 'internal_error', reason: 'osproxy hit an internal error; the request id identifies it in the logs' });
}

/** The client-facing form of any failure: osproxy's errors as they are, anything else a bare 500. */
export function asClientError(e: unknown): OsproxyError {
  return e instanceof OsproxyError ? e : internalError();
}

const make = (status: number, type: string) => (code: string, reason: string): OsproxyError => new OsproxyError({ status, type, code, reason });

/** 400 `illegal_argument_exception`: a request osproxy will not serve as asked. */
export const illegalArgument = make(400, 'illegal_argument_exception');
/** 400 `action_request_validation_exception`: OpenSearch's "Validation Failed: 1: …". */
export const validationFailed = make(400, 'action_request_validation_exception');
/** 400 `parse_exception`: a body that is not (valid) JSON. */
export const parseFailed = make(400, 'parse_exception');
/** 400 `parsing_exception`: valid JSON of a shape OpenSearch's parsers refuse. */
export const parsingFailed = make(400, 'parsing_exception');
/** 403 `security_exception`. */
export const forbidden = make(403, 'security_exception');

/** 404 with OpenSearch's type for what is missing (`resource_not_found_exception`, …). */
export function notFound(type: string, code: string, reason: string): OsproxyError {
  return new OsproxyError({ status: 404, type, code, reason });
}

/** OpenSearch's IndexNotFoundException, with its metadata (the name is the tenant's own). */
export function indexNotFound(lindex: string): OsproxyError {
  return new OsproxyError({
    status: 404, type: 'index_not_found_exception', code: 'index_not_found', reason: `no such index [${lindex}]`,
    metadata: { index: lindex, 'resource.type': 'index_or_alias', 'resource.id': lindex, index_uuid: '_na_' },
  });
}

/** 429 `rejected_execution_exception` with `Retry-After` (admission, in-flight bytes). */
export function rejectedExecution(code: string, reason: string, retryAfterSeconds: number): OsproxyError {
  return new OsproxyError({ status: 429, type: 'rejected_execution_exception', code, reason, retryable: true, headers: { 'retry-after': String(retryAfterSeconds) } });
}

/** 502: the upstream's answer (or connection) could not be used; `retryable` for transport failures. */
export function badGateway(code: string, reason: string, opts: { type?: string; retryable?: boolean } = {}): OsproxyError {
  return new OsproxyError({ status: 502, type: opts.type ?? 'bad_gateway_exception', code, reason, retryable: opts.retryable ?? false });
}

/** 503: retryable, with `Retry-After` when the wait is known. */
export function unavailable(code: string, reason: string, retryAfterSeconds?: number): OsproxyError {
  const headers = retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) };
  return new OsproxyError({ status: 503, type: 'unavailable_exception', code, reason, retryable: true, headers });
}
