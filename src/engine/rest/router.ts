import type { RestRequest } from './rest-request.ts';
import type { EngineContext } from './context.ts';
import type { Json } from '../json.ts';

export interface RestResponse {
  status: number;
  /** JSON body, plain text (for _cat), or nothing (HEAD). */
  body?: Json | string;
  headers?: Record<string, string>;
  /** An error body: `filter_path` does not apply to it (OpenSearch builds errors unfiltered). */
  error?: boolean;
}

export type Handler = (req: RestRequest, ctx: EngineContext) => RestResponse | Promise<RestResponse>;

export interface Route {
  methods: string[];
  pattern: string;
  /** URL parameters this endpoint accepts besides the common ones. */
  params: string[];
  handler: Handler;
}

export interface RouteMatch {
  route: Route;
  pathParams: Record<string, string>;
}

/**
 * A routing table: patterns like `/{index}/_doc/{id}`. Literal segments beat variables by
 * registration order; `{index}` never matches a segment starting with `_` (index names can't).
 */
export class Router {
  private readonly routes: Route[] = [];

  add(methods: string[], pattern: string, params: string[], handler: Handler): void {
    this.routes.push({ methods, pattern, params, handler });
  }

  /** The route for a path; `methodMismatch` when the path exists for other methods only. */
  match(method: string, path: string): RouteMatch | { methodMismatch: string[] } | undefined {
    const segments = path.split('/').filter((s) => s !== '');
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchPattern(route.pattern, segments);
      if (params === undefined) continue;
      if (route.methods.includes(method)) return { route, pathParams: params };
      allowed.push(...route.methods);
    }
    return allowed.length > 0 ? { methodMismatch: [...new Set(allowed)] } : undefined;
  }
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter((s) => s !== '');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const seg = segments[i];
    if (p.startsWith('{')) {
      const name = p.slice(1, -1);
      let value: string;
      try {
        value = decodeURIComponent(seg);
      } catch {
        return undefined;
      }
      if (name === 'index' && value.startsWith('_') && value !== '_all') return undefined;
      params[name] = value;
    } else if (p !== seg) return undefined;
  }
  return params;
}
