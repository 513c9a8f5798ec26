import { illegalArgument, type OsproxyError } from './errors.ts';
import { ENDPOINT_NAMES, endpointSpec, type EndpointSpec } from './endpoints.ts';

/** A classified tenant request: which endpoint, and the path's index expression and id. */
export interface Classified {
  spec: EndpointSpec;
  /** The index expression as the tenant wrote it (`orders`, `a,b`, `logs-*`), if the path has one. */
  index?: string;
  id?: string;
  /** A third path parameter (`/_nodes/{id}/{metric}`). */
  metric?: string;
  /** The route that matched (`/{index}/_doc/{id}`): the path's shape, with no names or ids. */
  route: string;
}

type Param = 'index' | 'id' | 'metric';

interface Rule {
  methods: readonly string[];
  pattern: string;
  segments: readonly string[];
  /** Per segment: the parameter it captures, or undefined for a literal. */
  params: readonly (Param | undefined)[];
  spec: EndpointSpec;
}

const PARAMS = new Map<string, Param>([['{index}', 'index'], ['{id}', 'id'], ['{metric}', 'metric']]);

/** The routes of the endpoint table, in table order. */
const rules: Rule[] = ENDPOINT_NAMES.flatMap((name) => {
  const spec = endpointSpec(name);
  return spec.routes.map(([methods, pattern]) => {
    const segments = pattern.split('/').filter((s) => s !== '');
    return { methods, pattern, segments, params: segments.map((s) => PARAMS.get(s)), spec };
  });
});

/** The same routes by method and segment count (still in table order): a request scans only those of its shape. */
const rulesByShape = new Map<string, Rule[][]>();
for (const rule of rules) {
  for (const m of rule.methods) {
    const byLength = rulesByShape.get(m) ?? [];
    (byLength[rule.segments.length] ??= []).push(rule);
    rulesByShape.set(m, byLength);
  }
}

function decode(seg: string): string | undefined {
  try {
    return decodeURIComponent(seg);
  } catch {
    return undefined;
  }
}

/** Whether the path's raw segments (`decoded` alongside, same length as the rule's) fit a rule. */
function fits(rule: Rule, segs: readonly string[], decoded: readonly string[]): boolean {
  for (let i = 0; i < segs.length; i++) {
    const param = rule.params[i];
    if (param === undefined) {
      if (rule.segments[i] !== segs[i]) return false;
      continue;
    }
    const value = decoded[i];
    if (value === '') return false;
    if (param === 'index' && value.startsWith('_') && value !== '_all') return false;
  }
  return true;
}

function classified(rule: Rule, decoded: readonly string[]): Classified {
  const out: Classified = { spec: rule.spec, route: rule.pattern };
  for (let i = 0; i < decoded.length; i++) {
    const param = rule.params[i];
    if (param !== undefined) out[param] = decoded[i];
  }
  return out;
}

/** A plain API word (`stats`, `settings`) after a `_`-segment: shown as is, like the `_` segments. */
const API_WORD = /^[a-z_]{1,32}$/;

/** Names the endpoint a client asked for, for the "unsupported" message (never echoes ids). */
function describe(method: string, segs: string[]): string {
  const api = segs.length > 0 && segs[0].startsWith('_');
  const shape = segs.map((s, i) => (s.startsWith('_') || (api && API_WORD.test(s)) ? s : i === 0 ? '{index}' : '{id}'));
  return `${method} /${shape.join('/')}`;
}

/** Where a client (or its operator) finds what is served instead. */
export const WHERE_LISTED = 'the endpoints it serves are listed in the osproxy README, section "Endpoints served to tenants"';

/** Classifies a tenant request, or answers 400 `unsupported_endpoint` naming what was asked for. */
export function classify(method: string, pathname: string): Classified {
  const segs = pathname.split('/').filter((s) => s !== '');
  const decoded: string[] = [];
  for (const s of segs) {
    const d = s.includes('%') ? decode(s) : s;
    if (d === undefined) throw illegalArgument('invalid_path', 'the request path is not valid percent-encoded UTF-8');
    decoded.push(d);
  }
  for (const rule of rulesByShape.get(method)?.[segs.length] ?? []) if (fits(rule, segs, decoded)) return classified(rule, decoded);
  throw unsupportedEndpoint(method, pathname);
}

/** 400 `unsupported_endpoint` naming the request's shape (never its ids) and where the served ones are listed. */
export function unsupportedEndpoint(method: string, pathname: string): OsproxyError {
  const segs = pathname.split('/').filter((s) => s !== '');
  return illegalArgument('unsupported_endpoint', `osproxy does not serve the endpoint [${describe(method, segs)}] for tenants; ${WHERE_LISTED}`);
}
