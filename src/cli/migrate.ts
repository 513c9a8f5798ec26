/**
 * `osproxy migrate start|status|verify|cutover|cancel|reverse|cleanup --tenant T --index I`: a
 * client of the migrations admin API (SPEC §5.3, §5.5). `start` and `reverse` follow the
 * migration until it waits for `cutover` (or is complete, with `--auto-cutover`); running `start`
 * again follows the running one.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { AdminCliError, adminCall, placementOf, runAdmin, withAdminOptions, type AdminOptions } from './admin-client.ts';
import { diffText, follow, migrationPath, statusLine, type MigrationView } from './migration-follow.ts';

interface Target extends AdminOptions {
  tenant: string;
  index: string;
}

const waitsForCutover = (m: MigrationView): boolean => m.state === 'verified' || m.state === 'complete';
const isComplete = (m: MigrationView): boolean => m.state === 'complete';

function targeted(name: string, description: string): Command {
  return withAdminOptions(new Command(name))
    .description(description)
    .requiredOption('--tenant <tenant>', 'the tenant')
    .requiredOption('--index <index>', 'its logical index');
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** Prints the outcome: the status line, or its JSON with --json. */
function report(o: AdminOptions, m: MigrationView, next?: string): void {
  if (o.json === true) process.stdout.write(JSON.stringify(m, null, 2) + '\n');
  else process.stdout.write(`${statusLine(m)}${next === undefined ? '' : `\n${next}`}\n`);
}

function nextStep(m: MigrationView): string | undefined {
  if (m.state === 'verified') return `verified: cut over with \`osproxy migrate cutover --tenant ${m.tenant} --index ${m.index}\` (or cancel)`;
  if (m.state === 'complete' && m.keep_source && !m.source_removed) return `complete; the source is kept until \`osproxy migrate cleanup --tenant ${m.tenant} --index ${m.index}\``;
  return undefined;
}

async function current(o: Target): Promise<MigrationView | undefined> {
  return adminCall<MigrationView>(o, 'GET', migrationPath(o.tenant, o.index)).then(
    (r) => r.body,
    (e: unknown) => {
      if (e instanceof AdminCliError && e.message.startsWith('404')) return undefined;
      throw e;
    },
  );
}

type StartOptions = Target & { to: Record<string, string>; autoCutover?: boolean; keepSource?: boolean; maxDocsPerSecond?: number; follow: boolean };

function startCommand(): Command {
  return targeted('start', 'move a logical index to another placement and follow the copy (again: follow the running one)')
    .requiredOption('--to <placement>', 'shared | index | cluster:NAME', placementOf)
    .option('--auto-cutover', 'cut over as soon as the target is verified')
    .option('--keep-source', 'keep the source after completion until `cleanup`')
    .option('--max-docs-per-second <n>', 'throttle the copy', positiveInt)
    .addOption(new Option('--no-follow', 'return once the migration is created'))
    .action((o: StartOptions) =>
      runAdmin(async () => {
        const running = await current(o);
        let m: MigrationView;
        if (running !== undefined && !['complete', 'cancelled'].includes(running.state)) {
          process.stderr.write(`following the running migration ${running.id} (${running.from} → ${running.to})\n`);
          m = running;
        } else {
          const body = { tenant: o.tenant, index: o.index, to: o.to, auto_cutover: o.autoCutover === true, keep_source: o.keepSource === true, ...(o.maxDocsPerSecond === undefined ? {} : { max_docs_per_second: o.maxDocsPerSecond }) };
          m = (await adminCall<MigrationView>(o, 'POST', '/_osproxy/admin/migrations', body)).body;
        }
        if (o.follow) m = await follow(o, o.tenant, o.index, m.id, m.auto_cutover ? isComplete : waitsForCutover);
        report(o, m, nextStep(m));
      }),
    );
}

function statusCommand(): Command {
  return targeted('status', 'where the migration of an index is').action((o: Target) =>
    runAdmin(async () => {
      const { body: m } = await adminCall<MigrationView>(o, 'GET', migrationPath(o.tenant, o.index));
      if (o.json === true) {
        const { tenant, index, from, to, state, epoch, copied, total, diff } = m;
        process.stdout.write(JSON.stringify({ tenant, index, from, to, state, epoch, copied, total, diff }) + '\n');
      } else report(o, m, nextStep(m));
    }),
  );
}

function verifyCommand(): Command {
  return targeted('verify', 'diff source and target now (exit 1 when they differ)')
    .option('--deep', 'compare document sources too, not only ids and versions')
    .action((o: Target & { deep?: boolean }) =>
      runAdmin(async () => {
        const { body: m } = await adminCall<MigrationView>(o, 'POST', `${migrationPath(o.tenant, o.index)}/_verify${o.deep === true ? '?deep=true' : ''}`);
        if (o.json === true) process.stdout.write(JSON.stringify(m.diff) + '\n');
        else process.stdout.write(`${o.tenant}/${o.index}: ${diffText(m.diff)}\n`);
        const d = m.diff;
        if (d !== null && d.missing + d.stale + d.extra + (d.changed ?? 0) > 0) process.exitCode = 1;
      }),
    );
}

/** An operator's request, then following until it took effect. */
function requestCommand(name: string, action: string, description: string, done: (m: MigrationView) => boolean): Command {
  return targeted(name, description)
    .addOption(new Option('--no-follow', 'return once the request is recorded'))
    .action((o: Target & { follow: boolean }) =>
      runAdmin(async () => {
        let { body: m } = await adminCall<MigrationView>(o, 'POST', `${migrationPath(o.tenant, o.index)}/${action}`);
        if (o.follow) m = await follow(o, o.tenant, o.index, m.id, done);
        report(o, m, nextStep(m));
        if (action === '_cancel' && m.state === 'complete') {
          process.stderr.write(`osproxy: the placement had flipped before the cancel: the move is complete; undo it with \`osproxy migrate reverse\`\n`);
          process.exitCode = 1;
        }
      }),
    );
}

function reverseCommand(): Command {
  return targeted('reverse', 'after `complete`: move the index back to where it was')
    .option('--auto-cutover', 'cut over as soon as the target is verified')
    .option('--keep-source', 'keep the source after completion until `cleanup`')
    .addOption(new Option('--no-follow', 'return once the migration is created'))
    .action((o: Target & { autoCutover?: boolean; keepSource?: boolean; follow: boolean }) =>
      runAdmin(async () => {
        let { body: m } = await adminCall<MigrationView>(o, 'POST', `${migrationPath(o.tenant, o.index)}/_reverse`, { auto_cutover: o.autoCutover === true, keep_source: o.keepSource === true });
        if (o.follow) m = await follow(o, o.tenant, o.index, m.id, m.auto_cutover ? isComplete : waitsForCutover);
        report(o, m, nextStep(m));
      }),
    );
}

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('move tenants’ indexes between placements while they are in use (admin API client)')
    .addCommand(startCommand())
    .addCommand(statusCommand())
    .addCommand(verifyCommand())
    .addCommand(requestCommand('cutover', '_cutover', 'switch reads and writes to the verified target', isComplete))
    .addCommand(requestCommand('cancel', '_cancel', 'stop before completion: the index stays, the target copy goes', (m) => m.state === 'cancelled' || m.state === 'complete'))
    .addCommand(reverseCommand())
    .addCommand(requestCommand('cleanup', '_cleanup', 'remove a kept source (once no cursor can read it)', (m) => m.source_removed));
}
