import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StreamingTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export interface StreamedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Readable;
}

/**
 * A node:http(s) client for unbounded streamed bodies (passthrough uploads). undici's stream body
 * path reads ahead of the socket: a 64 MiB upload left ~30 MiB resident, where a plain
 * `pipe` into node:http keeps it under ~8 MiB. Buffered requests keep using the undici pool.
 */
export class StreamingClient {
  private readonly origin: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;

  constructor(origin: string, tls: StreamingTls, connections: number, timeoutMs: number) {
    this.origin = new URL(origin);
    this.timeoutMs = timeoutMs;
    const opts = { keepAlive: true, maxSockets: connections, ...tls };
    this.agent = this.origin.protocol === 'https:' ? new HttpsAgent(opts) : new HttpAgent(opts);
  }

  /** Sends the request, streaming its body with backpressure; resolves with the response head. */
  send(req: StreamedRequest): Promise<IncomingMessage> {
    const send = this.origin.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const out = send({
        host: this.origin.hostname,
        port: this.origin.port,
        method: req.method,
        path: req.path,
        headers: req.headers,
        agent: this.agent,
        timeout: this.timeoutMs,
      });
      out.once('response', resolve);
      out.once('error', reject);
      out.once('timeout', () => out.destroy(Object.assign(new Error('upstream timed out'), { code: 'ETIMEDOUT' })));
      if (req.body === undefined) out.end();
      else pipeline(req.body, out).catch((e: unknown) => out.destroy(e instanceof Error ? e : undefined));
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
