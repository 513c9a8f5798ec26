import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** What the fault proxy does to each new connection. */
export type FaultMode =
  | { kind: 'pass' }
  /** Forward the request, then cut both sides after this many response bytes. */
  | { kind: 'reset-after'; bytes: number }
  /** Accept and read, never answer. */
  | { kind: 'hang' }
  /** Reset every connection at once (an outage: the peer is down). */
  | { kind: 'refuse' }
  /** Hold every chunk, both ways, `ms` plus up to `jitterMs` (uniform), in order. */
  | { kind: 'delay'; ms: number; jitterMs?: number }
  /** At most this many bytes per second per connection and direction. */
  | { kind: 'throttle'; bytesPerSecond: number }
  /** Cut the connection at a response chunk with this probability (resets mid-answer). */
  | { kind: 'flaky'; resetProbability: number };

/** What the proxy did, counted from its start: the proof that a scenario's faults fired. */
export interface FaultCounters {
  connections: number;
  refused: number;
  hung: number;
  resets: number;
  delayedChunks: number;
  delayMsTotal: number;
  throttledChunks: number;
}

const zero = (): FaultCounters => ({ connections: 0, refused: 0, hung: 0, resets: 0, delayedChunks: 0, delayMsTotal: 0, throttledChunks: 0 });

/** When a chunk leaves, given the time now and when the one before it leaves. */
type Schedule = (chunk: Buffer, now: number, lastAt: number) => number;

/** Forwards chunks from one socket to another at the times `schedule` says, never reordering them. */
function shapedPipe(from: Socket, to: Socket, schedule: Schedule): void {
  // One timer at a time, for the head of the queue: timers of different lengths may fire out of order.
  const queue: { chunk: Buffer; at: number }[] = [];
  let lastAt = 0;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const drain = (): void => {
    timer = undefined;
    while (queue.length > 0 && queue[0].at <= Date.now()) {
      const { chunk } = queue.shift() as { chunk: Buffer };
      if (!to.destroyed) to.write(chunk);
    }
    if (queue.length > 0) timer = setTimeout(drain, queue[0].at - Date.now());
    else if (ended) to.end();
  };
  from.on('data', (chunk: Buffer) => {
    const now = Date.now();
    lastAt = Math.max(lastAt, schedule(chunk, now, lastAt));
    queue.push({ chunk, at: lastAt });
    if (timer === undefined) timer = setTimeout(drain, lastAt - now);
  });
  from.on('end', () => {
    ended = true;
    if (timer === undefined) to.end();
  });
}

/**
 * A TCP proxy between osproxy and an upstream that injects faults per connection (SPEC §8 chaos).
 * Changing the mode cuts the open (keep-alive) connections so that the next request sees it.
 */
export class FaultProxy {
  private current: FaultMode = { kind: 'pass' };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private target: { host: string; port: number };
  private counted = zero();

  private constructor(target: { host: string; port: number }) {
    this.target = target;
    this.server = createServer((client) => this.handle(client));
  }

  static async start(targetUrl: string): Promise<FaultProxy> {
    const u = new URL(targetUrl);
    const p = new FaultProxy({ host: u.hostname, port: Number(u.port) });
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', () => resolve()));
    return p;
  }

  get mode(): FaultMode {
    return this.current;
  }

  /** Setting the mode it already has changes nothing (open connections stay). */
  set mode(mode: FaultMode) {
    if (JSON.stringify(mode) === JSON.stringify(this.current)) return;
    this.current = mode;
    for (const s of this.sockets) s.destroy();
  }

  /** A copy of the counters since the start (or the last `resetCounters`). */
  get counters(): FaultCounters {
    return { ...this.counted };
  }

  resetCounters(): void {
    this.counted = zero();
  }

  /** Points new connections at another upstream (e.g. an engine restarted on another port); open ones are cut. */
  retarget(targetUrl: string): void {
    const u = new URL(targetUrl);
    this.target = { host: u.hostname, port: Number(u.port) };
    for (const s of this.sockets) s.destroy();
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
  }

  private handle(client: Socket): void {
    this.track(client);
    this.counted.connections++;
    const mode = this.current;
    if (mode.kind === 'refuse') {
      this.counted.refused++;
      client.resetAndDestroy();
      return;
    }
    if (mode.kind === 'hang') {
      this.counted.hung++;
      client.resume();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    this.track(upstream);
    // An upstream that is down (refused, reset) is a reset for the client too, not a hang.
    upstream.on('error', () => client.resetAndDestroy());
    if (mode.kind === 'delay' || mode.kind === 'throttle') {
      // A delay holds each chunk from its arrival; a throttle queues it behind the one before, at the limit.
      const schedule: Schedule = mode.kind === 'delay' ? (_c, now) => now + this.delay(mode.ms, mode.jitterMs ?? 0) : (c, now, lastAt) => Math.max(now, lastAt) + this.throttle(c, mode.bytesPerSecond);
      shapedPipe(client, upstream, schedule);
      shapedPipe(upstream, client, schedule);
      return;
    }
    client.pipe(upstream);
    if (mode.kind === 'pass') {
      upstream.pipe(client);
      return;
    }
    if (mode.kind === 'flaky') {
      upstream.on('data', (chunk: Buffer) => {
        if (Math.random() < mode.resetProbability) {
          this.counted.resets++;
          client.resetAndDestroy();
          upstream.destroy();
        } else client.write(chunk);
      });
      upstream.on('end', () => client.end());
      return;
    }
    let sent = 0;
    upstream.on('data', (chunk: Buffer) => {
      const room = mode.bytes - sent;
      if (room > 0) client.write(chunk.subarray(0, room));
      sent += chunk.length;
      if (sent >= mode.bytes) {
        this.counted.resets++;
        client.resetAndDestroy();
        upstream.destroy();
      }
    });
  }

  private delay(ms: number, jitterMs: number): number {
    const d = ms + Math.random() * jitterMs;
    this.counted.delayedChunks++;
    this.counted.delayMsTotal += d;
    return d;
  }

  /** The chunk's transmission time at the limit (the shaped pipe queues it behind the one before). */
  private throttle(chunk: Buffer, bytesPerSecond: number): number {
    this.counted.throttledChunks++;
    return (chunk.length / bytesPerSecond) * 1000;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
