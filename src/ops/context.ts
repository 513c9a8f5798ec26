import type { IncomingMessage } from 'node:http';
import type { Classified } from '../http/classify.ts';
import type { Reply } from '../http/reply.ts';
import type { ExplainDraft } from '../observe/explain.ts';
import type { RequestScope } from '../resolve/request-scope.ts';
import type { Services } from './services.ts';

/** Everything an endpoint handler needs for one tenant request. */
export interface OpContext {
  readonly id: string;
  readonly req: IncomingMessage;
  readonly method: string;
  readonly query: URLSearchParams;
  readonly endpoint: Classified;
  /** The tenant scope built by the resolve stage: tenant, roles, placements, targets, settings. */
  readonly scope: RequestScope;
  readonly services: Services;
  readonly explain: ExplainDraft;
  /** Whether this request records its body's shape before and after rewriting (level `rewrite`). */
  readonly recordsRewrite: boolean;
  /** The buffered request body (capped; charged to the in-flight budget). */
  body(): Promise<Buffer>;
  /** Adds to the time spent waiting for the upstream (for the proxy/upstream latency split). */
  addUpstreamMs(ms: number): void;
  /** Counts body bytes a handler read itself, streaming (what `body()` reads is counted already). */
  addBytesIn(n: number): void;
}

/** An endpoint handler: returns the reply; the server sends it. */
export type OpHandler = (ctx: OpContext) => Promise<Reply>;
