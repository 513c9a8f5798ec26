import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Binding } from '../auth/index.ts';
import type { Classified } from '../http/classify.ts';
import type { ExplainRecord } from '../observe/explain.ts';
import type { Services } from '../server/services.ts';

/** Everything an endpoint handler needs for one tenant request. */
export interface OpContext {
  readonly id: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly query: URLSearchParams;
  readonly binding: Binding;
  readonly endpoint: Classified;
  readonly services: Services;
  readonly explain: ExplainRecord;
  /** The buffered request body (capped; charged to the in-flight budget). */
  body(): Promise<Buffer>;
  /** Adds to the time spent waiting for the upstream (for the proxy/upstream latency split). */
  addUpstreamMs(ms: number): void;
  /** Records bytes written to the client. */
  addBytesOut(n: number): void;
}

/** An endpoint handler: answers the client itself (JSON, text or a stream). */
export type OpHandler = (ctx: OpContext) => Promise<void>;
