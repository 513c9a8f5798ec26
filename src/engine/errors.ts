import type { JsonObject } from './json.ts';

/**
 * An error the engine answers in OpenSearch's shape:
 * {"error":{"root_cause":[{type,reason,...}],"type","reason",...},"status"}.
 */
export class EngineError extends Error {
  readonly status: number;
  readonly type: string;
  readonly extra: JsonObject;
  /** The wrapped exception, rendered as `caused_by`. */
  readonly causedBy: EngineError | undefined;

  constructor(status: number, type: string, reason: string, extra: JsonObject = {}, causedBy?: EngineError) {
    super(reason);
    this.status = status;
    this.type = type;
    this.extra = extra;
    this.causedBy = causedBy;
  }

  get reason(): string {
    return this.message;
  }

  /** This exception and its causes as `{type, reason, ..., caused_by}`. */
  toCauseObject(): JsonObject {
    const out: JsonObject = { type: this.type, reason: this.message, ...this.extra };
    if (this.causedBy !== undefined) out.caused_by = this.causedBy.toCauseObject();
    return out;
  }

  /**
   * OpenSearchException.guessRootCauses: follow the causes while they are OpenSearch exceptions;
   * plain Java exceptions (illegal_argument_exception, ...) end the walk at their wrapper, and one
   * thrown as is is its own root cause.
   */
  private rootCause(): EngineError {
    if (JAVA_EXCEPTIONS.has(this.type)) return this;
    const next = this.causedBy;
    return next === undefined || JAVA_EXCEPTIONS.has(next.type) ? this : next.rootCause();
  }

  /** The `error` object alone (as used inside bulk items and mget docs). */
  toErrorObject(): JsonObject {
    const root = this.rootCause();
    return { root_cause: [{ type: root.type, reason: root.message, ...root.extra }], ...this.toCauseObject() };
  }

  toBody(): JsonObject {
    return { error: this.toErrorObject(), status: this.status };
  }
}

/** Exception types that are not OpenSearchExceptions (root cause guessing stops before them). */
const JAVA_EXCEPTIONS = new Set([
  'illegal_argument_exception',
  'illegal_state_exception',
  'number_format_exception',
  'date_time_parse_exception',
  'x_content_parse_exception',
  'null_pointer_exception',
]);

export const badRequest = (reason: string, type = 'illegal_argument_exception'): EngineError =>
  new EngineError(400, type, reason);

export const parsingError = (reason: string): EngineError => new EngineError(400, 'parsing_exception', reason);

export const indexNotFound = (index: string): EngineError =>
  new EngineError(404, 'index_not_found_exception', `no such index [${index}]`, {
    index,
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
  });

/** TransportBulkAction/TransportUpdateAction: a write with `require_alias=true` to a name that is not an alias. */
export const requireAliasMissing = (index: string): EngineError =>
  new EngineError(404, 'index_not_found_exception', `no such index [${index}] and [require_alias] request flag is [true] and [${index}] is not an alias`, {
    index,
    index_uuid: '_na_',
  });
