/**
 * Parameter parity: the same request sent to an engine that holds exactly the tenant's indexes
 * under their logical names (the tenant's "own cluster") and through the proxy (the tenant in
 * dedicated placement on a shared upstream, next to another tenant), answers compared after the
 * values that legitimately differ (took, uuids, cursor ids, dates) are normalized.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { prettyJson } from '../../src/engine/rest/pretty-json.ts';
import type { EndpointName } from '../../src/http/endpoints.ts';
import { call, type HttpResult } from './http.ts';
import { startStack, type Stack } from './stack.ts';

export interface Req {
  method: string;
  /** The path with its base query string; `{n}` is a per-case counter, `{var}` a prepared value. */
  path: string;
  body?: unknown;
  ndjson?: boolean;
  headers?: Record<string, string>;
}

export type Side = 'direct' | 'proxy';
export type Comparator = (direct: HttpResult<unknown>, proxy: HttpResult<unknown>, label: string) => void;

export interface ParamCase {
  value: string;
  /** Overrides of the base request (another path, body or method). */
  req?: Partial<Req>;
  compare?: Comparator;
}

export interface EndpointCases {
  endpoint: EndpointName;
  base: Req;
  /** The value of the `filter_path` case. */
  filterPath: string;
  params: Record<string, string | ParamCase>;
  /** Requests sent to both sides before each case (e.g. the document a delete removes). */
  pre?: Req[];
  /** Values prepared on each side before each case (e.g. a scroll id), substituted as `{name}`. */
  vars?: (send: (req: Req) => Promise<HttpResult<Record<string, unknown>>>) => Promise<Record<string, string>>;
  compare?: Comparator;
}

export interface Twin {
  direct: RunningEngine;
  stack: Stack;
  send(side: Side, req: Req): Promise<HttpResult<Record<string, unknown>>>;
  both(req: Req): Promise<void>;
  close(): Promise<void>;
}

/** The tenant's own engine, and the proxy with `acme` (dedicated placement) and `globex` (shared) on another. */
export async function startTwin(): Promise<Twin> {
  const direct = await startEngine({ port: 0 });
  const stack = await startStack({ placement: 'index', tenantExtra: { globex: { placement: { kind: 'shared' } } }, extra: { tenancy: { cursor_key_b64: randomBytes(32).toString('base64') } } });
  const send = (side: Side, req: Req): Promise<HttpResult<Record<string, unknown>>> =>
    call(side === 'direct' ? direct.url : stack.url, req.method, req.path, req.body, {
      ndjson: req.ndjson,
      headers: { ...(side === 'proxy' ? stack.auth.acme : {}), ...req.headers },
    });
  return {
    direct,
    stack,
    send,
    async both(req) {
      for (const side of ['direct', 'proxy'] as const) {
        const res = await send(side, req);
        assert.ok(res.status < 300, `${side} ${req.method} ${req.path}: ${res.text}`);
      }
    },
    async close() {
      await stack.close();
      await direct.close();
    },
  };
}

const VOLATILE: Record<string, string> = {
  took: '<took>', _scroll_id: '<cursor>', pit_id: '<cursor>', uuid: '<uuid>', creation_date: '<date>', creation_time: '<time>',
};
/** Present on one side only by design: osproxy's own error block; the physical layout in errors. */
const DROPPED = new Set(['osproxy', 'index_uuid', 'shard', 'node']);

export function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (DROPPED.has(k)) continue;
    // Flat settings keys (`index.creation_date`) count by their last segment.
    const marker = VOLATILE[k] ?? VOLATILE[k.slice(k.lastIndexOf('.') + 1)];
    out[k] = marker !== undefined && x !== null && typeof x !== 'object' ? marker : normalize(x);
  }
  return out;
}

/** _cat text: uuids (22 characters of base64url) and the time columns. */
export function normalizeText(text: string): string {
  return text.replace(/\b\d{10} \d\d:\d\d:\d\d\b/g, '<epoch> <hms>').replace(/(?<![\w-])[A-Za-z0-9_-]{22}(?![\w-])/g, '<uuid----------------->');
}

const isJson = (res: HttpResult<unknown>): boolean => String(res.headers['content-type'] ?? '').startsWith('application/json');

/** Status, kind of body and body (normalized) are the same; a pretty body is pretty on both sides. */
export const sameAnswer: Comparator = (direct, proxy, label) => {
  assert.equal(proxy.status, direct.status, `${label}: status (direct ${direct.text.slice(0, 300)} | proxy ${proxy.text.slice(0, 300)})`);
  if (direct.text === '' || proxy.text === '') {
    // HEAD and empty answers: only the status counts (clients read no content type there).
    assert.equal(proxy.text, direct.text, `${label}: body`);
    return;
  }
  assert.equal(isJson(proxy), isJson(direct), `${label}: content type`);
  if (!isJson(direct)) {
    assert.equal(normalizeText(proxy.text), normalizeText(direct.text), `${label}: text`);
    return;
  }
  assert.deepEqual(normalize(proxy.body), normalize(direct.body), `${label}: body`);
};

/**
 * Where the embedded engine is not OpenSearch (it refuses a parameter OpenSearch reads), the
 * proxy's answer is checked against OpenSearch's documented behaviour instead.
 */
export function asOpenSearch(check: (proxy: HttpResult<Record<string, unknown>>) => void): Comparator {
  return (_direct, proxy) => check(proxy as HttpResult<Record<string, unknown>>);
}

/** The body is OpenSearch's pretty output (Jackson's printer), exactly. */
export function assertPretty(res: HttpResult<unknown>, label: string): void {
  if (!isJson(res) || res.text === '') return;
  assert.equal(res.text, prettyJson(JSON.parse(res.text)), `${label}: pretty output`);
}

function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\{([a-z_]+)\}/g, (m, name: string) => vars[name] ?? m);
}

function withParam(req: Req, name: string, value: string): Req {
  const [path, qs] = req.path.split('?');
  const q = new URLSearchParams(qs ?? '');
  q.set(name, value);
  return { ...req, path: `${path}?${q.toString()}` };
}

function instantiate(req: Req, vars: Record<string, string>): Req {
  return { ...req, path: substitute(req.path, vars), body: req.body === undefined ? undefined : JSON.parse(substitute(JSON.stringify(req.body), vars)) };
}

/** Every (endpoint, parameter) pair a table covers. */
export function coveredPairs(tables: EndpointCases[]): Set<string> {
  const out = new Set<string>();
  for (const t of tables) {
    for (const p of [...Object.keys(t.params), 'pretty', 'human', 'error_trace', 'filter_path']) out.add(`${t.endpoint} ${p}`);
  }
  return out;
}

/** The cases of one endpoint: the base request, each common parameter, each of its own. */
export function casesOf(t: EndpointCases): { label: string; param?: string; pc: ParamCase }[] {
  const common: [string, ParamCase][] = [['pretty', { value: 'true' }], ['human', { value: 'true' }], ['error_trace', { value: 'true' }], ['filter_path', { value: t.filterPath }]];
  const own = Object.entries(t.params).map(([k, v]): [string, ParamCase] => [k, typeof v === 'string' ? { value: v } : v]);
  return [{ label: `${t.endpoint} (no parameter)`, pc: { value: '' } }, ...[...common, ...own].map(([param, pc]) => ({ label: `${t.endpoint} ?${param}=${pc.value}`, param, pc }))];
}

let counter = 0;

/** Runs one case on both sides and compares. */
export async function runCase(twin: Twin, t: EndpointCases, param: string | undefined, pc: ParamCase, label: string): Promise<void> {
  const n = String(++counter);
  const answers: HttpResult<unknown>[] = [];
  for (const side of ['direct', 'proxy'] as const) {
    for (const pre of t.pre ?? []) {
      const res = await twin.send(side, instantiate(pre, { n }));
      assert.ok(res.status < 300, `${label}: ${side} setup ${pre.method} ${pre.path}: ${res.text}`);
    }
    const vars = { n, ...(t.vars === undefined ? {} : await t.vars((req) => twin.send(side, instantiate(req, { n })))) };
    let req: Req = instantiate({ ...t.base, ...pc.req }, vars);
    if (param !== undefined) req = withParam(req, param, substitute(pc.value, vars));
    answers.push(await twin.send(side, req));
  }
  const [direct, proxy] = answers;
  (pc.compare ?? t.compare ?? sameAnswer)(direct, proxy, label);
  if (param === 'pretty') {
    assertPretty(direct, `${label} (direct)`);
    assertPretty(proxy, label);
  }
}
