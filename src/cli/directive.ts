/**
 * `osproxy directive publish|list|rm|sign` (SPEC §6): diagnostics directives and killswitches
 * through the admin API, and signed `X-Debug-Directive` header values for one-off deep looks.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { OBSERVE_LEVELS, ObserveSchema, type ObserveLevel } from '../config/observe-schema.ts';
import { ConfigError, loadConfig } from '../config/load.ts';
import type { OsproxyConfig } from '../config/schema.ts';
import { signDebugHeader } from '../observe/debug-header.ts';
import { AdminCliError, adminCall, runAdmin, table, withAdminOptions, type AdminOptions } from './admin-client.ts';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const DEFAULT_MAX_HEADER_TTL_S = ObserveSchema.parse({}).debug_header_max_ttl_s;

/** `30s`, `10m`, `2h`, `1d` → seconds (a unit is required: a bare `5` is a typo as often as not). */
export function ttlSeconds(value: string): number {
  const m = /^(\d+)([smhd])$/.exec(value.trim());
  if (m === null || Number(m[1]) === 0) throw new InvalidArgumentError('must be a duration with a unit, such as 30s, 10m, 2h or 1d');
  return Number(m[1]) * UNITS[m[2]];
}

function levelOf(value: string): ObserveLevel {
  const level = OBSERVE_LEVELS.find((l) => l === value);
  if (level === undefined) throw new InvalidArgumentError(`must be one of ${OBSERVE_LEVELS.join(', ')}`);
  return level;
}

function intOf(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

interface DirectiveView {
  id: string;
  level: string;
  match: Record<string, string>;
  sample_per_mille: number;
  expires_at: string;
  active: boolean;
  version: number;
  ring_buffer?: { size: number };
  refuse?: { status: number };
}

function print(opts: AdminOptions, json: unknown, text: string): void {
  process.stdout.write(opts.json === true ? JSON.stringify(json, null, 2) + '\n' : text);
}

interface PublishOptions extends AdminOptions {
  id: string;
  level?: ObserveLevel;
  tenant?: string;
  index?: string;
  principal?: string;
  endpoint?: string;
  sample?: number;
  ttl: number;
  ring?: number;
  refuse?: string;
  ifVersion?: number;
}

function publishCommand(): Command {
  return withAdminOptions(new Command('publish'))
    .description('publish (or replace) a directive on every instance, for a bounded time')
    .requiredOption('--id <id>', 'directive id')
    .option('--level <level>', 'shape | timing | rewrite (default with --refuse: shape); a directive only raises the level', levelOf)
    .option('--tenant <tenant>', 'match this tenant')
    .option('--index <index>', 'match this logical index')
    .option('--principal <principal>', 'match this principal')
    .option('--endpoint <endpoint>', 'match this endpoint (a name of the endpoint table, e.g. search)')
    .option('--sample <n>', 'requests sampled per thousand (default 1000)', intOf)
    .requiredOption('--ttl <duration>', 'how long it lasts: 30s, 10m, 2h, 1d', ttlSeconds)
    .option('--ring <size>', 'copy matching explain records into a break-glass ring of this size', intOf)
    .addOption(new Option('--refuse <status>', 'a killswitch: refuse matching requests with this status').choices(['503', '403']))
    .option('--if-version <n>', 'only if the directive is at this version (0: only if it does not exist)', intOf)
    .action((o: PublishOptions) =>
      runAdmin(async () => {
        if (o.level === undefined && o.refuse === undefined) throw new AdminCliError('--level is needed (shape, timing or rewrite), unless the directive is a killswitch (--refuse)', 2);
        const match = Object.fromEntries(Object.entries({ tenant: o.tenant, index: o.index, principal: o.principal, endpoint: o.endpoint }).filter(([, v]) => v !== undefined));
        const body = {
          match,
          level: o.level ?? 'shape',
          ...(o.sample === undefined ? {} : { sample_per_mille: o.sample }),
          expires_at: new Date(Date.now() + o.ttl * 1000).toISOString(),
          ...(o.ring === undefined ? {} : { ring_buffer: { size: o.ring } }),
          ...(o.refuse === undefined ? {} : { refuse: { status: Number(o.refuse) } }),
        };
        const query = o.ifVersion === undefined ? '' : `?if_version=${o.ifVersion}`;
        const res = await adminCall<DirectiveView>(o, 'PUT', `/_osproxy/admin/directives/${encodeURIComponent(o.id)}${query}`, body);
        print(o, res.body, `directive ${o.id} ${res.status === 201 ? 'published' : 'replaced'} (version ${res.body.version}), until ${res.body.expires_at}\n`);
      }),
    );
}

function listCommand(): Command {
  return withAdminOptions(new Command('list'))
    .description('list the directives in the fleet store')
    .action((o: AdminOptions) =>
      runAdmin(async () => {
        const res = await adminCall<{ directives: DirectiveView[] }>(o, 'GET', '/_osproxy/admin/directives');
        const rows = res.body.directives.map((d) => [
          d.id, d.active ? 'active' : 'expired', d.level, Object.entries(d.match).map(([k, v]) => `${k}=${v}`).join(',') || '*',
          String(d.sample_per_mille), d.refuse === undefined ? '' : String(d.refuse.status), d.ring_buffer === undefined ? '' : String(d.ring_buffer.size), d.expires_at,
        ]);
        print(o, res.body, table(['ID', 'STATE', 'LEVEL', 'MATCH', 'SAMPLE‰', 'REFUSE', 'RING', 'EXPIRES'], rows));
      }),
    );
}

function rmCommand(): Command {
  return withAdminOptions(new Command('rm'))
    .description('remove a directive (it stops on every instance within a poll)')
    .argument('<id>', 'directive id')
    .action((id: string, o: AdminOptions) =>
      runAdmin(async () => {
        const res = await adminCall(o, 'DELETE', `/_osproxy/admin/directives/${encodeURIComponent(id)}`);
        print(o, res.body, `directive ${id} removed\n`);
      }),
    );
}

/** The signing key: --key, $OSPROXY_DEBUG_HEADER_KEY, or observe.debug_header_key of --config. */
function signingKey(o: { key?: string; config?: string }): string {
  if (o.key !== undefined) return o.key;
  const env = process.env.OSPROXY_DEBUG_HEADER_KEY;
  if (env !== undefined && env !== '') return env;
  if (o.config === undefined) throw new AdminCliError('no signing key: pass --key, set OSPROXY_DEBUG_HEADER_KEY, or --config with observe.debug_header_key', 2);
  const key = configOf(o.config).observe.debug_header_key;
  if (key === undefined) throw new AdminCliError(`${o.config} has no observe.debug_header_key`, 2);
  return key;
}

function configOf(file: string): OsproxyConfig {
  try {
    return loadConfig({ file, env: process.env });
  } catch (e) {
    throw e instanceof ConfigError ? new AdminCliError(e.message, 2) : e;
  }
}

function signCommand(): Command {
  return new Command('sign')
    .description('print a signed X-Debug-Directive header value raising one request to a level')
    .requiredOption('--level <level>', 'shape | timing | rewrite', levelOf)
    .requiredOption('--ttl <duration>', 'how long the header is valid: 30s, 5m, 1h', ttlSeconds)
    .option('--key <key>', 'the signing key (observe.debug_header_key)')
    .option('--config <file>', 'read the key (and the longest validity the proxy accepts) from this configuration file')
    .action((o: { level: ObserveLevel; ttl: number; key?: string; config?: string }) =>
      runAdmin(async () => {
        const key = signingKey(o);
        if (key.length < 32) throw new AdminCliError('the signing key must be at least 32 characters', 2);
        const maxTtl = o.config === undefined ? DEFAULT_MAX_HEADER_TTL_S : configOf(o.config).observe.debug_header_max_ttl_s;
        if (o.ttl > maxTtl) {
          const where = o.config === undefined ? 'by default (observe.debug_header_max_ttl_s; pass --config to read yours)' : `in ${o.config}`;
          throw new AdminCliError(`--ttl ${o.ttl} s: the proxy refuses headers valid for more than ${maxTtl} s ${where}`, 2);
        }
        process.stdout.write(`${signDebugHeader(key, o.level, Math.floor(Date.now() / 1000) + o.ttl)}\n`);
      }),
    );
}

export function directiveCommand(): Command {
  return new Command('directive')
    .description('diagnostics directives and killswitches on every instance; signed debug headers')
    .addCommand(publishCommand())
    .addCommand(listCommand())
    .addCommand(rmCommand())
    .addCommand(signCommand());
}
