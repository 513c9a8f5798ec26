/**
 * Errors raised by the tenancy layer. Reasons name what was refused and why, using only what the
 * client itself sent (its own field and index names, request paths) — never another tenant's
 * name, a physical index name or document values.
 */
export type IsolationErrorType = 'illegal_argument_exception' | 'parsing_exception' | 'invalid_index_name_exception';

/** A request refused because it could escape the tenant's scope, or is malformed where that matters. */
export class IsolationError extends Error {
  readonly status = 400;
  readonly code: string;
  readonly type: IsolationErrorType;
  readonly reason: string;

  constructor(code: string, reason: string, type: IsolationErrorType = 'illegal_argument_exception') {
    super(reason);
    this.name = 'IsolationError';
    this.code = code;
    this.type = type;
    this.reason = reason;
  }
}

/** Operator configuration that cannot produce safe physical names (a startup/config error, not a client error). */
export class TenancyConfigError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'TenancyConfigError';
    this.code = code;
  }
}

/** Refuse a construct that could escape the tenant's scope (400 illegal_argument_exception). */
export function refuse(code: string, reason: string): never {
  throw new IsolationError(code, reason);
}

/** Refuse a body whose shape cannot be understood (400 parsing_exception). */
export function malformed(code: string, reason: string): never {
  throw new IsolationError(code, reason, 'parsing_exception');
}
