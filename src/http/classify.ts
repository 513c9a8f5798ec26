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

interface Rule {
  methods: readonly string[];
  pattern: string;
  segments: readonly string[];
  spec: EndpointSpec;
}

/** The routes of the endpoint table, in table order. */
const rules: Rule[] = ENDPOINT_NAMES.flatMap((name) => {
  const spec = endpointSpec(name);
  return spec.routes.map(([methods, pattern]) => ({ methods, pattern, segments: pattern.split('/').filter((s) => s !== ''), spec }));
});

/** The same routes by method (still in table order), so a request scans only its method's. */
const rulesByMethod = new Map<string, Rule[]>();
for (const rule of rules) for (const m of rule.methods) rulesByMethod.set(m, [...(rulesByMethod.get(m) ?? []), rule]);

function decode(seg: string): string | undefined {
  try {
    return decodeURIComponent(seg);
  } catch {
    return undefined;
  }
}

const PARAMS: Record<string, 'index' | 'id' | 'metric'> = { '{index}': 'index', '{id}': 'id', '{metric}': 'metric' };

/** Matches the path's raw segments (`decoded` alongside) against a rule. */
function matchRule(rule: Rule, segs: string[], decoded: string[]): { index?: string; id?: string; metric?: string } | undefined {
  if (rule.segments.length !== segs.length) return undefined;
  const out: { index?: string; id?: string; metric?: string } = {};
  for (let i = 0; i < segs.length; i++) {
    const p = rule.segments[i];
    const param = PARAMS[p];
    if (param !== undefined) {
      const value = decoded[i];
      if (value === '') return undefined;
      if (param === 'index' && value.startsWith('_') && value !== '_all') return undefined;
      out[param] = value;
    } else if (p !== segs[i]) return undefined;
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
  for (const rule of rulesByMethod.get(method) ?? []) {
    const m = matchRule(rule, segs, decoded);
    if (m !== undefined) return { spec: rule.spec, route: rule.pattern, ...m };
  }
  throw unsupportedEndpoint(method, pathname);
}

/** 400 `unsupported_endpoint` naming the request's shape (never its ids) and where the served ones are listed. */
export function unsupportedEndpoint(method: string, pathname: string): OsproxyError {
  const segs = pathname.split('/').filter((s) => s !== '');
  return illegalArgument('unsupported_endpoint', `osproxy does not serve the endpoint [${describe(method, segs)}] for tenants; ${WHERE_LISTED}`);
}
