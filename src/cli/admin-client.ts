/**
 * The admin API as the CLI calls it (`osproxy tenant | instances | migrate | directive`): `--url`
 * names an instance, the operator token comes from `--token` or OSPROXY_ADMIN_TOKEN. Failures
 * print one line — the status and the reason the API gave — and exit 1 (2 for usage mistakes).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { request } from 'undici';

export interface AdminOptions {
  url: string;
  token?: string;
  json?: boolean;
}

export class AdminCliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** A placement as the CLI names it: `shared`, `index` or `cluster:NAME`. */
export function placementOf(value: string): Record<string, string> {
  if (value === 'shared' || value === 'index') return { kind: value };
  const m = /^cluster:([A-Za-z0-9_-]+)$/.exec(value);
  if (m !== null) return { kind: 'cluster', cluster: m[1] };
  throw new InvalidArgumentError('must be shared, index or cluster:NAME');
}

/** Adds `--url`, `--token` and `--json` to a command. */
export function withAdminOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--url <url>', 'an osproxy instance').default(process.env.OSPROXY_URL ?? 'http://127.0.0.1:9200'))
    .addOption(new Option('--token <token>', 'operator token (default: $OSPROXY_ADMIN_TOKEN)'))
    .option('--json', 'machine-readable output');
}

function reasonOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const err = (body as { error?: { reason?: unknown } }).error;
  return typeof err?.reason === 'string' ? err.reason : undefined;
}

/** One admin call; a non-2xx answer becomes an AdminCliError with the API's reason. */
export async function adminCall<T>(opts: AdminOptions, method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const token = opts.token ?? process.env.OSPROXY_ADMIN_TOKEN;
  if (token === undefined || token === '') throw new AdminCliError('no operator token: pass --token or set OSPROXY_ADMIN_TOKEN', 2);
  let base: URL;
  try {
    base = new URL(path.replace(/^\//, ''), opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
  } catch {
    throw new AdminCliError(`the instance URL [${opts.url}] (--url or OSPROXY_URL) is not a URL`, 2);
  }
  let res;
  try {
    res = await request(base, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new AdminCliError(`cannot reach ${base.origin}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const text = await res.body.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (res.statusCode >= 300) throw new AdminCliError(`${res.statusCode}: ${reasonOf(parsed) ?? text.slice(0, 200)}`);
  return { status: res.statusCode, body: parsed as T };
}

/** Runs a subcommand body, turning AdminCliErrors into one line on stderr and an exit code. */
export function runAdmin(fn: () => Promise<void>): Promise<void> {
  return fn().catch((e: unknown) => {
    if (e instanceof AdminCliError) {
      process.stderr.write(`osproxy: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    throw e;
  });
}

/** A plain-text table: one header line, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
