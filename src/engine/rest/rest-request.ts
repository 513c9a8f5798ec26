import { EngineError } from '../errors.ts';
import type { Json } from '../json.ts';

/** One parsed HTTP request as handlers see it; parameters are read through typed accessors. */
export class RestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Map<string, string>;
  readonly pathParams: Record<string, string>;
  readonly rawBody: Buffer;
  private readonly headers: Record<string, string | string[] | undefined>;
  private parsed: Json | undefined;
  private parsedOnce = false;

  constructor(
    method: string,
    path: string,
    query: Map<string, string>,
    pathParams: Record<string, string>,
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined> = {},
  ) {
    this.method = method;
    this.headers = headers;
    this.path = path;
    this.query = query;
    this.pathParams = pathParams;
    this.rawBody = rawBody;
  }

  get hasBody(): boolean {
    return this.rawBody.length > 0 && this.rawBody.toString('utf8').trim() !== '';
  }

  /** The JSON body, or undefined when there is none; malformed JSON is a 400. */
  json(): Json | undefined {
    if (this.parsedOnce) return this.parsed;
    this.parsedOnce = true;
    if (!this.hasBody) return undefined;
    this.parsed = parseJson(this.rawBody.toString('utf8'));
    return this.parsed;
  }

  /** NDJSON lines (for _bulk, _msearch); blank lines are skipped. */
  lines(): string[] {
    return this.rawBody
      .toString('utf8')
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l.trim() !== '');
  }

  /** A request header (lower-case name); the first one when repeated. */
  header(name: string): string | undefined {
    const v = this.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  param(name: string): string | undefined {
    return this.pathParams[name] ?? this.query.get(name);
  }

  str(name: string): string | undefined {
    return this.query.get(name);
  }

  bool(name: string, fallback = false): boolean {
    const v = this.query.get(name);
    if (v === undefined) return fallback;
    if (v === '' || v === 'true') return true;
    if (v === 'false') return false;
    throw new EngineError(400, 'illegal_argument_exception', `Failed to parse value [${v}] as only [true] or [false] are allowed.`);
  }

  int(name: string): number | undefined {
    const v = this.query.get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n)) {
      throw new EngineError(400, 'illegal_argument_exception', `Failed to parse int parameter [${name}] with value [${v}]`);
    }
    return n;
  }

  list(name: string): string[] | undefined {
    const v = this.query.get(name);
    return v === undefined ? undefined : v.split(',').filter((s) => s !== '');
  }
}

export function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    const reason = e instanceof Error ? e.message : 'invalid JSON';
    throw new EngineError(400, 'parse_exception', `Failed to parse content to map: ${reason}`);
  }
}
