/**
 * The system under chaos: one engine, a fault proxy in front of it for the data cluster and another
 * for the control cluster (the fleet store), and `serve` instances sharing that store. Tenants are
 * in shared placement; an operator token drives migrations.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { hashToken } from '../auth/index.ts';
import { spawnEngine, spawnProxy, type BenchProcess } from '../bench/processes.ts';
import { FaultProxy, type FaultCounters, type FaultMode } from './fault-proxy.ts';
import { tenantName, tenantToken } from './workload-config.ts';

export const OPERATOR_TOKEN = 'chaos-operator-token';

export class ChaosFleet {
  readonly instances: BenchProcess[] = [];
  restarts = 0;

  private constructor(readonly engine: BenchProcess, readonly data: FaultProxy, readonly control: FaultProxy, private readonly configFile: string, private readonly env: Record<string, string>) {}

  /** `env`: extra environment for the `serve` processes (the broken-proxy test's switch). */
  static async start(tenants: number, instances: number, env: Record<string, string> = {}): Promise<ChaosFleet> {
    const engine = await spawnEngine();
    const data = await FaultProxy.start(engine.url);
    const control = await FaultProxy.start(engine.url);
    const dir = mkdtempSync(join(tmpdir(), 'osproxy-chaos-'));
    const configFile = join(dir, 'osproxy.yaml');
    const cluster = { request_timeout_ms: 2_000, breaker: { failure_threshold: 20, reset_ms: 500 } };
    writeFileSync(configFile, stringify({
      listeners: [{ host: '127.0.0.1', port: 0 }],
      clusters: { default: { url: data.url, ...cluster }, control: { url: control.url, ...cluster } },
      operators: [{ name: 'chaos', token_sha256: hashToken(OPERATOR_TOKEN) }],
      tenants: Object.fromEntries(Array.from({ length: tenants }, (_, i) => [tenantName(i), { principals: [{ name: 'app', token_sha256: hashToken(tenantToken(tenantName(i))), roles: ['read', 'write', 'manage'] }] }])),
      tenancy: { cursor_key_b64: randomBytes(32).toString('base64') },
      control: { cluster: 'control', poll_ms: 100, heartbeat_ms: 100, write_fence_ms: 2_000, migration_lease_ms: 1_500, migration_cleanup_grace_ms: 300 },
      log_level: 'error',
    }));
    const fleet = new ChaosFleet(engine, data, control, configFile, env);
    try {
      for (let i = 0; i < instances; i++) fleet.instances.push(await fleet.spawn());
    } catch (e) {
      await fleet.stop();
      throw e;
    }
    return fleet;
  }

  private spawn(): Promise<BenchProcess> {
    return spawnProxy(this.configFile, { env: this.env });
  }

  urls(): string[] {
    return this.instances.map((p) => p.url);
  }

  /** Both fault proxies at once (data and control). */
  set faults(mode: FaultMode) {
    this.data.mode = mode;
    this.control.mode = mode;
  }

  resetCounters(): void {
    this.data.resetCounters();
    this.control.resetCounters();
    this.restarts = 0;
  }

  counters(): { data: FaultCounters; control: FaultCounters } {
    return { data: this.data.counters, control: this.control.counters };
  }

  /** SIGKILLs instance `i` and starts a replacement (clients move to its new address). */
  async killAndRestart(i: number): Promise<void> {
    const victim = this.instances[i];
    this.instances.splice(i, 1);
    process.kill(victim.pid, 'SIGKILL');
    await victim.stop();
    this.instances.splice(i, 0, await this.spawn());
    this.restarts++;
  }

  async stop(): Promise<void> {
    for (const p of this.instances) await p.stop().catch(() => undefined);
    await this.data.close();
    await this.control.close();
    await this.engine.stop();
  }
}
