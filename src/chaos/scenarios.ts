/**
 * The chaos scenarios (SPEC §8): what each does to the fleet while the workload runs, and the
 * counters that prove its faults fired. Faults go on both fault proxies (data and control cluster).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CpuStress } from './cpu-stress.ts';
import type { FaultMode } from './fault-proxy.ts';
import type { ChaosFleet } from './fleet.ts';
import type { MigrationRecord } from './history.ts';
import { migrate } from './migration-driver.ts';

import type { ScenarioName } from './scenario-names.ts';

export type { ScenarioName };

export interface ScenarioContext {
  fleet: ChaosFleet;
  durationMs: number;
  index: string;
}

export interface ScenarioRun {
  /** Counters of the scenario's own faults (the fault proxies' are added by the runner). */
  counters: Record<string, number>;
  migrations: MigrationRecord[];
}

export interface Scenario {
  name: ScenarioName;
  description: string;
  run(ctx: ScenarioContext): Promise<ScenarioRun>;
  /** The counter that must be above zero for the scenario to count (none for the baseline). */
  proof?: string;
}

/** One fault mode for the whole duration. */
function steady(mode: FaultMode): (ctx: ScenarioContext) => Promise<ScenarioRun> {
  return async ({ fleet, durationMs }) => {
    fleet.faults = mode;
    await sleep(durationMs);
    fleet.faults = { kind: 'pass' };
    return { counters: {}, migrations: [] };
  };
}

async function outages({ fleet, durationMs }: ScenarioContext): Promise<ScenarioRun> {
  // Three blackouts of a tenth of the run each (10 s of a 100 s run), evenly spaced.
  const slot = durationMs / 3;
  const blackout = durationMs / 10;
  let blackouts = 0;
  for (let i = 0; i < 3; i++) {
    await sleep((slot - blackout) / 2);
    fleet.faults = { kind: 'refuse' };
    blackouts++;
    await sleep(blackout);
    fleet.faults = { kind: 'pass' };
    await sleep((slot - blackout) / 2);
  }
  return { counters: { blackouts }, migrations: [] };
}

async function cpu({ durationMs }: ScenarioContext, threads = 2): Promise<ScenarioRun> {
  const stress = new CpuStress();
  stress.start(threads);
  await sleep(durationMs);
  return { counters: { cpuBusyMs: Math.round(await stress.stop()) }, migrations: [] };
}

async function combined(ctx: ScenarioContext): Promise<ScenarioRun> {
  const stress = new CpuStress();
  stress.start(1);
  const half = ctx.durationMs / 2;
  ctx.fleet.faults = { kind: 'delay', ms: 50, jitterMs: 50 };
  await sleep(half);
  ctx.fleet.faults = { kind: 'flaky', resetProbability: 0.02 };
  await sleep(half);
  ctx.fleet.faults = { kind: 'pass' };
  return { counters: { cpuBusyMs: Math.round(await stress.stop()) }, migrations: [] };
}

async function instanceRestart({ fleet, durationMs }: ScenarioContext): Promise<ScenarioRun> {
  await sleep(durationMs / 3);
  await fleet.killAndRestart(0);
  await sleep(durationMs / 3);
  await fleet.killAndRestart(fleet.instances.length - 1);
  const rest = durationMs / 3;
  await sleep(rest);
  return { counters: { restarts: fleet.restarts }, migrations: [] };
}

async function migration({ fleet, durationMs, index }: ScenarioContext): Promise<ScenarioRun> {
  const started = Date.now();
  await sleep(durationMs / 4);
  const record = await migrate(fleet, 't0', index, Math.max(30_000, durationMs));
  await sleep(Math.max(0, durationMs - (Date.now() - started)));
  return { counters: { migrations: 1, migrationsComplete: record.state === 'complete' ? 1 : 0 }, migrations: [record] };
}

const latency = (ms: number): Scenario => ({ name: `latency-${ms}` as ScenarioName, description: `${ms} ms added to every chunk, both ways`, run: steady({ kind: 'delay', ms }), proof: 'delayedChunks' });

export const SCENARIO_TABLE: Readonly<Record<ScenarioName, Scenario>> = {
  baseline: { name: 'baseline', description: 'no faults', run: steady({ kind: 'pass' }) },
  'latency-50': latency(50),
  'latency-200': latency(200),
  'latency-500': latency(500),
  jitter: { name: 'jitter', description: '5–205 ms per chunk, uniform', run: steady({ kind: 'delay', ms: 5, jitterMs: 200 }), proof: 'delayedChunks' },
  resets: { name: 'resets', description: '5% of answer chunks cut the connection', run: steady({ kind: 'flaky', resetProbability: 0.05 }), proof: 'resets' },
  outages: { name: 'outages', description: 'three blackouts of a tenth of the run each', run: outages, proof: 'refused' },
  bandwidth: { name: 'bandwidth', description: '64 KiB/s per connection and direction', run: steady({ kind: 'throttle', bytesPerSecond: 64 * 1024 }), proof: 'throttledChunks' },
  cpu: { name: 'cpu', description: 'two busy worker threads', run: (ctx) => cpu(ctx), proof: 'cpuBusyMs' },
  combined: { name: 'combined', description: '50±50 ms latency, then 2% resets, with one busy thread', run: combined, proof: 'cpuBusyMs' },
  'instance-restart': { name: 'instance-restart', description: 'SIGKILL and restart of an instance, twice', run: instanceRestart, proof: 'restarts' },
  migration: { name: 'migration', description: 'tenant t0 moves shared → index under load', run: migration, proof: 'migrationsComplete' },
};
