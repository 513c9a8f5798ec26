import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { Pool, poolRequest, errors as undiciErrors } from './undici-parts.ts';
import { badGateway, OsproxyError, unavailable } from '../http/errors.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { CircuitBreaker, type BreakerChange } from './breaker.ts';
import { StreamingClient, type StreamedRequest } from './streaming-client.ts';
import { BufferedAnswerHandler, type BufferedAnswer } from './buffered-answer.ts';
import { SizedAnswerHandler, type SizedAnswer } from './sized-answer.ts';
import type { IncomingMessage } from 'node:http';

export interface UpstreamRequest {
  method: Dispatcher.HttpMethod;
  /** Path with query string, already rewritten for the upstream. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string | Readable;
  /** Reads may be retried on transport failures; writes never are. */
  idempotent: boolean;
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

export interface PoolStats {
  opened: number;
  dispatched: number;
  reused: number;
}

const TRANSPORT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED']);

function authHeader(cfg: ClusterConfig): Record<string, string> {
  if (cfg.auth === undefined) return {};
  if ('bearer' in cfg.auth) return { authorization: `Bearer ${cfg.auth.bearer}` };
  return { authorization: `Basic ${Buffer.from(`${cfg.auth.username}:${cfg.auth.password}`).toString('base64')}` };
}

/** Maps an undici failure to the client-facing error (never exposing the upstream's address). */
export function upstreamFailure(e: unknown, clusterId: string): OsproxyError {
  const code = (e as { code?: string }).code ?? '';
  if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) {
    return new OsproxyError({ status: 504, type: 'timeout_exception', code: 'upstream_timeout', reason: `cluster [${clusterId}] did not answer in time`, retryable: true });
  }
  if (code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return badGateway('upstream_connect_failed', `cannot connect to cluster [${clusterId}]`, { type: 'connect_exception', retryable: true });
  }
  return badGateway('upstream_transport_failed', `the connection to cluster [${clusterId}] failed mid-request`, { type: 'transport_exception', retryable: true });
}

function isTransportFailure(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return TRANSPORT_CODES.has(code) || e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.SocketError;
}

/** One upstream cluster: a keep-alive undici pool, a circuit breaker, credentials and pool stats. */
export class UpstreamCluster {
  readonly id: string;
  readonly origin: string;
  readonly breaker: CircuitBreaker;
  private readonly pool: Pool;
  private readonly cfg: ClusterConfig;
  private readonly credentials: Record<string, string>;
  private readonly counters: PoolStats = { opened: 0, dispatched: 0, reused: 0 };
  private readonly streaming: StreamingClient;

  constructor(id: string, cfg: ClusterConfig, opts: { onBreakerChange?: (change: BreakerChange) => void } = {}) {
    this.id = id;
    this.cfg = cfg;
    this.origin = new URL(cfg.url).origin;
    this.credentials = authHeader(cfg);
    this.breaker = new CircuitBreaker({ failureThreshold: cfg.breaker.failure_threshold, resetMs: cfg.breaker.reset_ms, onChange: opts.onBreakerChange });
    const tls = {
      ca: cfg.ca_file ? readFileSync(cfg.ca_file) : undefined,
      cert: cfg.cert_file ? readFileSync(cfg.cert_file) : undefined,
      key: cfg.key_file ? readFileSync(cfg.key_file) : undefined,
    };
    this.pool = new Pool(this.origin, {
      connections: cfg.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: cfg.request_timeout_ms,
      bodyTimeout: cfg.request_timeout_ms,
      connect: { timeout: cfg.connect_timeout_ms, ...tls },
    });
    this.pool.on('connect', () => {
      this.counters.opened++;
    });
    this.streaming = new StreamingClient(this.origin, tls, cfg.connections, cfg.request_timeout_ms);
  }

  private breakerOpen(): OsproxyError {
    const retryAfter = Math.max(1, Math.ceil(this.breaker.retryAfterMs / 1000));
    return unavailable('upstream_breaker_open', `cluster [${this.id}] is unavailable (circuit breaker open)`, retryAfter);
  }

  /** Streams an unbounded request body (passthrough); never retried, guarded by the breaker. */
  async stream(req: StreamedRequest): Promise<IncomingMessage> {
    if (!this.breaker.tryAcquire()) throw this.breakerOpen();
    this.counters.dispatched++;
    try {
      const res = await this.streaming.send({ ...req, headers: { ...req.headers, ...this.credentials } });
      this.breaker.onSuccess();
      return res;
    } catch (e) {
      const failure = upstreamFailure(e, this.id);
      if (isTransportFailure(e)) this.breaker.onFailure(failure.reason);
      else this.breaker.release();
      throw failure;
    }
  }

  get stats(): PoolStats {
    return { ...this.counters, reused: Math.max(0, this.counters.dispatched - this.counters.opened) };
  }

  /** Sends a request; transport failures of idempotent reads are retried with backoff. */
  request(req: UpstreamRequest): Promise<UpstreamResponse> {
    return this.withRetries(req, () => this.send(req));
  }

  /**
   * Sends a request whose answer is read whole (a document, a write's result): the same retries
   * and breaker as {@link request}, the body collected into one buffer without a body stream. A
   * transport failure while the body arrives counts like one before the headers.
   */
  requestBuffered(req: Omit<UpstreamRequest, 'signal'>): Promise<BufferedAnswer> {
    return this.withRetries(req, () => this.dispatchTo(req, new BufferedAnswerHandler()));
  }

  /**
   * Sends a request whose answer is read whole when it declares at most `wholeUpTo` bytes and
   * streamed otherwise (sized-answer.ts); retries and breaker as for {@link request}.
   */
  requestSized(req: Omit<UpstreamRequest, 'signal'>, wholeUpTo: number): Promise<SizedAnswer> {
    return this.withRetries(req, () => this.dispatchTo(req, new SizedAnswerHandler(wholeUpTo)));
  }

  /** One attempt through a dispatch handler of ours (no body stream): its `done` settles the attempt. */
  private dispatchTo<T>(req: Omit<UpstreamRequest, 'signal'>, handler: Dispatcher.DispatchHandler & { done: Promise<T> }): Promise<T> {
    this.counters.dispatched++;
    this.pool.dispatch({ method: req.method, path: req.path, headers: { ...req.headers, ...this.credentials }, body: req.body }, handler);
    return handler.done;
  }

  private async withRetries<T>(req: UpstreamRequest, send: () => Promise<T>): Promise<T> {
    const attempts = req.idempotent && !isStream(req.body) ? this.cfg.retries + 1 : 1;
    let last: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(25 * 2 ** attempt);
      if (!this.breaker.tryAcquire()) throw this.breakerOpen();
      try {
        const res = await send();
        this.breaker.onSuccess();
        return res;
      } catch (e) {
        if (req.signal?.aborted) {
          this.breaker.release();
          throw e;
        }
        last = e;
        if (!isTransportFailure(e) && !(e instanceof undiciErrors.HeadersTimeoutError)) {
          this.breaker.release();
          break;
        }
        this.breaker.onFailure(upstreamFailure(e, this.id).reason);
      }
    }
    throw upstreamFailure(last, this.id);
  }

  private async send(req: UpstreamRequest): Promise<UpstreamResponse> {
    this.counters.dispatched++;
    const res = await poolRequest(this.pool, {
      method: req.method,
      path: req.path,
      headers: { ...req.headers, ...this.credentials },
      body: req.body,
      signal: req.signal,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  async close(): Promise<void> {
    this.streaming.close();
    await this.pool.close();
  }
}

function isStream(body: UpstreamRequest['body']): boolean {
  return body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body);
}

