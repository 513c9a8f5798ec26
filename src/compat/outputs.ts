// Values a step saves under its `id` (`output: {name: payload.x}`) and the `${id.name}`
// references later steps use in their path, parameters, headers and payloads.
import type { Json, OutputSpec } from './story.ts';

/** What a step's response offers to `output` paths. */
export interface OutputSource {
  headers: Record<string, string>;
  payload: Json | undefined;
}

export class OutputError extends Error {}

const WHOLE_REF = /^\$\{([^.}]+)\.([^}]+)\}$/;
const ANY_REF = /\$\{([^.}]+)\.([^}]+)\}/g;

export class StoryOutputs {
  readonly #byStep = new Map<string, Map<string, Json>>();

  set(stepId: string, values: Record<string, Json>): void {
    this.#byStep.set(stepId, new Map(Object.entries(values)));
  }

  get(stepId: string, name: string): Json {
    const value = this.#byStep.get(stepId)?.get(name);
    if (value === undefined) {
      const known = this.#byStep.has(stepId) ? `step "${stepId}" has no output "${name}"` : `no step "${stepId}" has run with outputs`;
      throw new OutputError(`cannot resolve \${${stepId}.${name}}: ${known}`);
    }
    return value;
  }

  /**
   * Replaces references everywhere in `value`. A string that is exactly one reference takes the
   * referenced value with its type (a number stays a number); references inside longer strings
   * are interpolated as text.
   */
  resolve<T extends Json>(value: T): T {
    return this.#resolve(value) as T;
  }

  #resolve(value: Json): Json {
    if (typeof value === 'string') return this.#resolveString(value);
    if (Array.isArray(value)) return value.map((v) => this.#resolve(v));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.#resolve(v)]));
    }
    return value;
  }

  #resolveString(s: string): Json {
    const whole = WHOLE_REF.exec(s);
    if (whole) return this.get(whole[1], whole[2]);
    return s.replace(ANY_REF, (_m, id: string, name: string) => {
      const v = this.get(id, name);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
}

/** Reads every `output` entry from a response; throws OutputError if one is absent without default. */
export function extractOutputs(spec: Record<string, OutputSpec>, source: OutputSource): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [name, entry] of Object.entries(spec)) {
    const { path, default: fallback } = typeof entry === 'string' ? { path: entry, default: undefined } : entry;
    const value = readOutputPath(source, path) ?? fallback;
    if (value === undefined) throw new OutputError(`output "${name}": nothing at ${path}`);
    out[name] = value;
  }
  return out;
}

/** `payload`, `payload.a.b[0].c`, `payload[1]`, or `headers.<name>` (case-insensitive). */
export function readOutputPath(source: OutputSource, path: string): Json | undefined {
  if (path.startsWith('headers.')) return source.headers[path.slice('headers.'.length).toLowerCase()];
  if (path === 'payload') return source.payload;
  if (path.startsWith('payload.') || path.startsWith('payload[')) return getPath(source.payload, path.slice('payload'.length));
  throw new OutputError(`output path "${path}" must start with "payload" or "headers."`);
}

/** lodash-style `get` for `.a.b[0].c` (a leading dot is optional). */
export function getPath(root: Json | undefined, path: string): Json | undefined {
  const keys = [...path.matchAll(/[^.[\]]+|\[(\d+)\]/g)].map((m) => m[1] ?? m[0]);
  let node: Json | undefined = root;
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(key)] : node[key];
  }
  return node;
}
