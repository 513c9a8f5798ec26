import type { JsonObject } from './json.ts';

/**
 * An error the engine answers in OpenSearch's shape:
 * {"error":{"root_cause":[{type,reason,...}],"type","reason",...},"status"}.
 */
export class EngineError extends Error {
  readonly status: number;
  readonly type: string;
  readonly extra: JsonObject;

  constructor(status: number, type: string, reason: string, extra: JsonObject = {}) {
    super(reason);
    this.status = status;
    this.type = type;
    this.extra = extra;
  }

  get reason(): string {
    return this.message;
  }

  /** The `error` object alone (as used inside bulk items and mget docs). */
  toErrorObject(): JsonObject {
    const cause: JsonObject = { type: this.type, reason: this.message, ...this.extra };
    return { root_cause: [cause], ...cause };
  }

  toBody(): JsonObject {
    return { error: this.toErrorObject(), status: this.status };
  }
}

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
