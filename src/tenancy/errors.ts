/**
 * Errors raised by the tenancy layer. Reasons name what was refused and why, using only what the
 * client itself sent (its own field and index names, request paths) — never another tenant's
 * name, a physical index name or document values.
 */
import { ConfigError } from '../config/config-error.ts';
import { OsproxyError } from '../http/errors.ts';

export type IsolationErrorType = 'illegal_argument_exception' | 'parsing_exception' | 'invalid_index_name_exception';

/** A request refused because it could escape the tenant's scope, or is malformed where that matters (400). */
export class IsolationError extends OsproxyError {
  override readonly name = 'IsolationError';
  override readonly status = 400;
  override readonly type: IsolationErrorType;

  constructor(code: string, reason: string, type: IsolationErrorType = 'illegal_argument_exception') {
    super({ status: 400, type, code, reason });
    this.type = type;
  }
}

/** Operator configuration that cannot produce safe physical names (a startup/config error, not a client error). */
export class TenancyConfigError extends ConfigError {
  override readonly name = 'TenancyConfigError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
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
