/**
 * `osproxy tenant add|list|show|set|suspend|resume|rm|rotate|import` and `osproxy instances`:
 * clients of the admin API (SPEC §5.5). Tables for people, `--json` for scripts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { hashToken } from '../auth/index.ts';
import { AdminCliError, adminCall, placementOf, runAdmin, table, withAdminOptions, type AdminOptions } from './admin-client.ts';

interface TenantView {
  id: string;
  state: string;
  version: number;
  placement: { kind: string; cluster?: string };
  indices: Record<string, unknown>;
  principals: { name?: string; roles: string[] }[];
}

function readEntries(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AdminCliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`, 2);
  }
  try {
    return parseYaml(text) as unknown;
  } catch (e) {
    throw new AdminCliError(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`, 2);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const placementText = (p: TenantView['placement']): string => (p.kind === 'cluster' ? `cluster:${p.cluster ?? '?'}` : p.kind);

function print(opts: AdminOptions, json: unknown, text: string): void {
  process.stdout.write(opts.json === true ? JSON.stringify(json, null, 2) + '\n' : text);
}

function tenantRows(tenants: TenantView[]): string {
  return table(
    ['TENANT', 'STATE', 'VERSION', 'PLACEMENT', 'OVERRIDES', 'PRINCIPALS'],
    tenants.map((t) => [t.id, t.state, String(t.version), placementText(t.placement), String(Object.keys(t.indices).length), t.principals.map((p) => p.name ?? '?').join(',')]),
  );
}

function addCommand(): Command {
  return withAdminOptions(new Command('add'))
    .description('create a tenant with a new bearer token principal (the token is printed once), or from --file')
    .argument('<id>', 'tenant id')
    .option('--placement <placement>', 'shared | index | cluster:NAME', placementOf)
    .option('--principal <name>', 'name of the token principal (default: <id>-app)')
    .option('--roles <roles>', 'roles of the principal', 'read,write,manage')
    .option('--file <file>', 'a YAML/JSON tenant entry (as under tenants: in the config) instead')
    .action((id: string, o: AdminOptions & { placement?: Record<string, string>; principal?: string; roles: string; file?: string }) =>
      runAdmin(async () => {
        const existing = await adminCall(o, 'GET', `/_osproxy/admin/tenants/${encodeURIComponent(id)}`).catch((e: unknown) => {
          if (e instanceof AdminCliError && e.message.startsWith('404')) return undefined;
          throw e;
        });
        if (existing !== undefined) throw new AdminCliError(`tenant [${id}] exists already (use osproxy tenant set)`);
        const token = o.file === undefined ? randomBytes(32).toString('base64url') : undefined;
        const name = o.principal ?? `${id}-app`;
        const entry = o.file !== undefined ? readEntries(o.file) : {
          ...(o.placement === undefined ? {} : { placement: o.placement }),
          principals: [{ name, token_sha256: hashToken(token as string), roles: o.roles.split(',').map((r) => r.trim()) }],
        };
        const res = await adminCall<TenantView>(o, 'PUT', `/_osproxy/admin/tenants/${encodeURIComponent(id)}?if_version=0`, entry).catch((e: unknown) => {
          throw e instanceof AdminCliError && e.message.startsWith('409') ? new AdminCliError(`tenant [${id}] was created meanwhile by someone else`) : e;
        });
        print(o, { ...res.body, ...(token === undefined ? {} : { token }) }, `tenant ${id} created (version ${res.body.version})\n${token === undefined ? '' : `principal ${name} token: ${token}\n(shown once: osproxy stores only its hash)\n`}`);
      }),
    );
}

function stateCommand(name: 'suspend' | 'resume'): Command {
  return withAdminOptions(new Command(name))
    .description(name === 'suspend' ? 'refuse the tenant\'s requests (403 tenant_suspended) on every instance' : 'serve a suspended tenant again')
    .argument('<id>', 'tenant id')
    .action((id: string, o: AdminOptions) =>
      runAdmin(async () => {
        const res = await adminCall<{ state: string; version: number }>(o, 'POST', `/_osproxy/admin/tenants/${encodeURIComponent(id)}/_${name}`);
        print(o, res.body, `tenant ${id} is ${res.body.state} (version ${res.body.version})\n`);
      }),
    );
}

function setCommand(): Command {
  return withAdminOptions(new Command('set'))
    .description('replace a tenant from --file, or change its default placement for new indexes')
    .argument('<id>', 'tenant id')
    .option('--file <file>', 'a YAML/JSON tenant entry')
    .option('--placement <placement>', 'shared | index | cluster:NAME', placementOf)
    .option('--if-version <n>', 'only if the stored version is this one')
    .action((id: string, o: AdminOptions & { file?: string; placement?: Record<string, string>; ifVersion?: string }) =>
      runAdmin(async () => {
        if ((o.file === undefined) === (o.placement === undefined)) throw new AdminCliError('give exactly one of --file or --placement', 2);
        const path = `/_osproxy/admin/tenants/${encodeURIComponent(id)}`;
        let entry: unknown = o.file === undefined ? undefined : readEntries(o.file);
        let version = o.ifVersion;
        if (o.placement !== undefined) {
          const current = (await adminCall<TenantView & Record<string, unknown>>(o, 'GET', path)).body;
          const { id: _id, state: _state, version: v, created_at: _created, ...rest } = current;
          entry = { ...rest, placement: o.placement };
          version ??= String(v);
        }
        const res = await adminCall<TenantView>(o, 'PUT', `${path}${version === undefined ? '' : `?if_version=${encodeURIComponent(version)}`}`, entry);
        print(o, res.body, `tenant ${id} ${res.status === 201 ? 'created' : 'replaced'} (version ${res.body.version})\n`);
      }),
    );
}

function importCommand(): Command {
  return withAdminOptions(new Command('import'))
    .description('create or replace the tenants of a YAML file (a config file with tenants:, or a map of tenants)')
    .argument('<file>', 'YAML file')
    .action((file: string, o: AdminOptions) =>
      runAdmin(async () => {
        const doc = readEntries(file);
        const tenants = isRecord(doc) && isRecord(doc.tenants) ? doc.tenants : doc;
        if (!isRecord(tenants)) throw new AdminCliError(`${file} holds no tenants`, 2);
        const results: { tenant: string; result: string }[] = [];
        for (const [id, entry] of Object.entries(tenants)) {
          try {
            const res = await adminCall<TenantView>(o, 'PUT', `/_osproxy/admin/tenants/${encodeURIComponent(id)}`, entry);
            results.push({ tenant: id, result: res.status === 201 ? 'created' : 'replaced' });
          } catch (e) {
            if (!(e instanceof AdminCliError) || e.exitCode !== 1) throw e;
            results.push({ tenant: id, result: `failed: ${e.message}` });
          }
        }
        print(o, results, table(['TENANT', 'RESULT'], results.map((r) => [r.tenant, r.result])));
        if (results.some((r) => r.result.startsWith('failed'))) process.exitCode = 1;
      }),
    );
}

export function tenantCommand(): Command {
  const tenant = new Command('tenant').description('manage tenants through the admin API (--url, operator token)');
  tenant.addCommand(addCommand());
  tenant.addCommand(
    withAdminOptions(new Command('list')).description('list tenants').action((o: AdminOptions) =>
      runAdmin(async () => {
        const all: TenantView[] = [];
        for (let after = ''; ;) {
          const res = await adminCall<{ tenants: TenantView[]; next: string | null }>(o, 'GET', `/_osproxy/admin/tenants?size=1000&after=${encodeURIComponent(after)}`);
          all.push(...res.body.tenants);
          if (res.body.next === null) break;
          after = res.body.next;
        }
        print(o, all, tenantRows(all));
      }),
    ),
  );
  tenant.addCommand(
    withAdminOptions(new Command('show')).description('show one tenant and its logical indexes').argument('<id>', 'tenant id').action((id: string, o: AdminOptions) =>
      runAdmin(async () => {
        const t = (await adminCall<TenantView>(o, 'GET', `/_osproxy/admin/tenants/${encodeURIComponent(id)}`)).body;
        const ix = (await adminCall<{ indices: { name: string; placement: { kind: string; cluster?: string }; epoch: number }[] }>(o, 'GET', `/_osproxy/admin/tenants/${encodeURIComponent(id)}/indices`)).body.indices;
        const indexTable = ix.length === 0 ? 'no logical indexes\n' : table(['INDEX', 'PLACEMENT', 'EPOCH'], ix.map((i) => [i.name, placementText(i.placement), String(i.epoch)]));
        print(o, { ...t, logical_indices: ix }, tenantRows([t]) + '\n' + indexTable);
      }),
    ),
  );
  tenant.addCommand(setCommand());
  tenant.addCommand(stateCommand('suspend'));
  tenant.addCommand(stateCommand('resume'));
  tenant.addCommand(
    withAdminOptions(new Command('rm')).description('delete a tenant (its access ends; its data stays unless --purge)').argument('<id>', 'tenant id')
      .option('--purge', 'also delete its documents and dedicated indexes')
      .action((id: string, o: AdminOptions & { purge?: boolean }) =>
        runAdmin(async () => {
          const res = await adminCall(o, 'DELETE', `/_osproxy/admin/tenants/${encodeURIComponent(id)}${o.purge === true ? '?purge=true' : ''}`);
          print(o, res.body, `tenant ${id} deleted${o.purge === true ? ' with its data' : ' (its data is kept)'}\n`);
        }),
      ),
  );
  tenant.addCommand(
    withAdminOptions(new Command('rotate')).description('give a principal a new bearer token (printed once); the old one stops working')
      .argument('<id>', 'tenant id').argument('<principal>', 'principal name')
      .action((id: string, principal: string, o: AdminOptions) =>
        runAdmin(async () => {
          const res = await adminCall<{ token: string; version: number }>(o, 'POST', `/_osproxy/admin/tenants/${encodeURIComponent(id)}/principals/${encodeURIComponent(principal)}/_rotate`);
          print(o, res.body, `principal ${principal} of ${id}: new token ${res.body.token}\n(shown once: osproxy stores only its hash)\n`);
        }),
      ),
  );
  tenant.addCommand(importCommand());
  return tenant;
}

export function instancesCommand(): Command {
  return withAdminOptions(new Command('instances')).description('list the fleet\'s osproxy instances (from their heartbeats)').action((o: AdminOptions) =>
    runAdmin(async () => {
      const res = await adminCall<{ instances: { id: string; version: string; host: string; alive: boolean; last_seen: number; snapshot: number; started_at: number }[] }>(o, 'GET', '/_osproxy/admin/instances');
      const now = Date.now();
      print(o, res.body.instances, table(
        ['INSTANCE', 'VERSION', 'HOST', 'ALIVE', 'LAST SEEN', 'SNAPSHOT', 'UP'],
        res.body.instances.map((i) => [i.id, i.version, i.host, i.alive ? 'yes' : 'no', `${Math.round((now - i.last_seen) / 1000)}s ago`, String(i.snapshot), `${Math.round((now - i.started_at) / 1000)}s`]),
      ));
    }),
  );
}
