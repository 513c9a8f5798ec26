/**
 * The optional third side: a plain nginx reverse proxy (Debian's `nginx` package) with keep-alive
 * to the same upstream, so osproxy's cost can be read against a proxy that does nothing but proxy.
 * It runs in the foreground from a temp prefix, one worker, and is stopped with the run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Teardown } from './teardown.ts';

const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx', '/usr/bin/nginx'];
const READY_TIMEOUT_MS = 10_000;

export interface NginxPeer {
  url: string;
  version: string;
  /** The master (its worker is a child): the tree's CPU is the peer's cost. */
  pid: number;
}

/** The nginx binary and its version, or undefined when nginx is not installed. */
export function findNginx(): { bin: string; version: string } | undefined {
  const found = CANDIDATES.find((p) => existsSync(p)) ?? (spawnSync('which', ['nginx']).stdout?.toString().trim() || undefined);
  if (found === undefined) return undefined;
  const probe = spawnSync(found, ['-v']);
  const version = /nginx\/(\S+)/.exec(probe.stderr?.toString() ?? '')?.[1] ?? 'unknown';
  return { bin: found, version };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function nginxConfig(dir: string, port: number, upstream: URL): string {
  const temp = (name: string): string => `${name}_temp_path ${join(dir, name)};`;
  return `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}
  client_max_body_size 0;
  upstream opensearch { server ${upstream.host}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://opensearch;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_request_buffering off;
      proxy_buffering off;
    }
  }
}
`;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`nginx did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

function stopNginx(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGQUIT'); // graceful shutdown
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

/** Starts nginx in front of `upstream`; undefined (with the reason) when nginx is not installed. */
export async function startNginxPeer(upstream: string, teardown: Teardown): Promise<NginxPeer | { missing: string }> {
  const nginx = findNginx();
  if (nginx === undefined) return { missing: 'nginx is not installed (Debian: apt-get install nginx)' };
  const upstreamUrl = new URL(upstream);
  if (upstreamUrl.protocol !== 'http:') return { missing: 'the nginx peer supports only an http:// upstream' };
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-nginx-'));
  teardown.add(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, name));
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port, upstreamUrl));
  const child = spawn(nginx.bin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  teardown.add(() => stopNginx(child));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child);
  return { url, version: nginx.version, pid: child.pid as number };
}
