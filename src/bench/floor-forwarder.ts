/**
 * The floor: the least a Node forwarder can do for one hop — a node:http server that forwards
 * each request it receives (the direct side's physical requests, unchanged) to the upstream over
 * an undici Pool configured like osproxy's (64 kept-alive connections, no pipelining), and does
 * one JSON round trip (`JSON.parse` + `JSON.stringify`) per response body, the minimum a proxy
 * that looks at responses pays. osproxy ÷ floor is then what osproxy adds beyond Node itself.
 *
 * Run as its own process (so its CPU can be read from /proc):
 *   node floor-forwarder.js <upstream-url>     → prints {"floor":"http://127.0.0.1:<port>"}
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import { isEntryScript } from '../core/entry-script.ts';

/** As osproxy's defaults: the upstream pool size, and the listener's keep-alive (clients reuse connections across rounds). */
const CONNECTIONS = 64;
const KEEP_ALIVE_MS = 65_000;
const UPSTREAM_KEEP_ALIVE_MS = 30_000;

export interface FloorServer {
  url: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The one JSON round trip; a body that is not JSON passes through as it came. */
export function roundTrip(text: string): string {
  if (text === '') return text;
  try {
    return JSON.stringify(JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}

async function forward(pool: Pool, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const contentType = req.headers['content-type'];
  const upstream = await pool.request({
    method: req.method as Dispatcher.HttpMethod,
    path: req.url ?? '/',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body,
  });
  const out = roundTrip(await upstream.body.text());
  const type = upstream.headers['content-type'];
  res.writeHead(upstream.statusCode, {
    'content-length': Buffer.byteLength(out),
    ...(typeof type === 'string' ? { 'content-type': type } : {}),
  });
  res.end(out);
}

function fail(res: ServerResponse, e: unknown): void {
  if (res.headersSent) return void res.destroy();
  const reason = e instanceof Error ? e.message : String(e);
  res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'floor_upstream_error', reason } }));
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/** Starts the floor in front of `upstream` on a free loopback port. */
export async function startFloor(upstream: string): Promise<FloorServer> {
  const pool = new Pool(new URL(upstream).origin, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: UPSTREAM_KEEP_ALIVE_MS });
  const server = createServer((req, res) => void forward(pool, req, res).catch((e: unknown) => fail(res, e)));
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  const url = await listen(server);
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.close();
  };
  return { url, close };
}

async function main(argv: readonly string[]): Promise<void> {
  const upstream = argv[0];
  if (upstream === undefined) throw new Error('usage: floor-forwarder <upstream-url>');
  const floor = await startFloor(upstream);
  process.once('SIGTERM', () => void floor.close().finally(() => process.exit(0)));
  console.log(JSON.stringify({ floor: floor.url }));
}

// Compared as real paths: a node_modules reached through a symlink names the script by another path.
if (isEntryScript(import.meta.url)) await main(process.argv.slice(2));
