import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

const require = createRequire(import.meta.url);
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
interface Transport {
  agent: HttpAgent;
  request: typeof httpRequest;
}

export class StreamingClient {
  private readonly origin: URL;
  private readonly timeoutMs: number;
  /** Built on the first passthrough request: most proxies never make one (and need no node:https then). */
  private transport?: Transport;

  constructor(
    origin: string,
    private readonly tls: StreamingTls,
    private readonly connections: number,
    timeoutMs: number,
  ) {
    this.origin = new URL(origin);
    this.timeoutMs = timeoutMs;
  }

  /** Synchronous, so that the body is piped in the tick it was handed over (it may be flowing already). */
  private load(): Transport {
    if (this.transport !== undefined) return this.transport;
    const opts = { keepAlive: true, maxSockets: this.connections, ...this.tls };
    if (this.origin.protocol !== 'https:') return (this.transport = { agent: new HttpAgent(opts), request: httpRequest });
    const https = require('node:https') as typeof import('node:https');
    return (this.transport = { agent: new https.Agent(opts), request: https.request });
  }

  /** Sends the request, streaming its body with backpressure; resolves with the response head. */
  send(req: StreamedRequest): Promise<IncomingMessage> {
    const { agent, request } = this.load();
    return new Promise<IncomingMessage>((resolve, reject) => {
      const out = request({
        host: this.origin.hostname,
        port: this.origin.port,
        method: req.method,
        path: req.path,
        headers: req.headers,
        agent,
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
    this.transport?.agent.destroy();
  }
}
