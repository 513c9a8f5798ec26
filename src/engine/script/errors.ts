/** Script failures and their conversion to OpenSearch's `script_exception` shape. */
import { EngineError } from '../errors.ts';
import type { JsonObject } from '../json.ts';

/** A failure while parsing: `pos` is the offending offset in the source. */
export class CompileFailure extends Error {
  readonly pos: number;
  readonly type: string;

  constructor(pos: number, reason: string, type = 'illegal_argument_exception') {
    super(reason);
    this.pos = pos;
    this.type = type;
  }
}

/** A Java-like exception raised while running a script (e.g. `null_pointer_exception`). */
export class PainlessError extends Error {
  readonly type: string;

  constructor(type: string, reason: string) {
    super(reason);
    this.type = type;
  }
}

export const nullPointer = (what: string): PainlessError =>
  new PainlessError('null_pointer_exception', `cannot access method/field [${what}] from a null def reference`);

export const classCast = (reason: string): PainlessError => new PainlessError('class_cast_exception', reason);

export const illegalArgument = (reason: string): PainlessError =>
  new PainlessError('illegal_argument_exception', reason);

export const LOOP_LIMIT_REASON =
  'The maximum number of statements that can be executed in a loop has been reached.';

const CONTEXT = 25;

/** Painless's heuristic snippet: up to 25 characters either side of the offset. */
function scriptStack(source: string, offset: number): { stack: string[]; position: JsonObject } {
  const at = Math.max(0, Math.min(offset, source.length));
  const start = Math.max(0, at - CONTEXT);
  const end = Math.min(source.length, at + CONTEXT);
  const snippet = (start > 0 ? '... ' : '') + source.slice(start, end) + (end < source.length ? ' ...' : '');
  const pointer = (start > 0 ? '    ' : '') + ' '.repeat(at - start) + '^---- HERE';
  return { stack: [snippet, pointer], position: { offset: at, start, end } };
}

function scriptException(reason: string, source: string, offset: number, cause: JsonObject): EngineError {
  const { stack, position } = scriptStack(source, offset);
  return new EngineError(400, 'script_exception', reason, {
    script_stack: stack,
    script: source,
    lang: 'painless',
    position,
    caused_by: cause,
  });
}

export function compileError(source: string, failure: CompileFailure): EngineError {
  return scriptException('compile error', source, failure.pos, { type: failure.type, reason: failure.message });
}

/** Wraps anything thrown while running (a PainlessError, or an unexpected JS error) as `runtime error`. */
export function runtimeError(source: string, offset: number, err: unknown): EngineError {
  if (err instanceof PainlessError) {
    return scriptException('runtime error', source, offset, { type: err.type, reason: err.message });
  }
  const reason = err instanceof Error ? err.message : String(err);
  return scriptException('runtime error', source, offset, { type: 'painless_error', reason });
}
