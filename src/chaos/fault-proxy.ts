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
  | { kind: 'refuse' };

/**
 * A TCP proxy between osproxy and an upstream that injects faults per connection (SPEC §8 chaos).
 * Changing the mode cuts the open (keep-alive) connections so that the next request sees it.
 */
export class FaultProxy {
  private current: FaultMode = { kind: 'pass' };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private target: { host: string; port: number };

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

  set mode(mode: FaultMode) {
    this.current = mode;
    for (const s of this.sockets) s.destroy();
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
    const mode = this.current;
    if (mode.kind === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (mode.kind === 'hang') {
      client.resume();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    this.track(upstream);
    // An upstream that is down (refused, reset) is a reset for the client too, not a hang.
    upstream.on('error', () => client.resetAndDestroy());
    client.pipe(upstream);
    if (mode.kind === 'pass') {
      upstream.pipe(client);
      return;
    }
    let sent = 0;
    upstream.on('data', (chunk: Buffer) => {
      const room = mode.bytes - sent;
      if (room > 0) client.write(chunk.subarray(0, room));
      sent += chunk.length;
      if (sent >= mode.bytes) {
        client.resetAndDestroy();
        upstream.destroy();
      }
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
