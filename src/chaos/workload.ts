/** The whole chaos workload: every tenant's writers and readers, started and stopped together, and the final read. */
import { setTimeout as sleep } from 'node:timers/promises';
import { send, type Instances } from './client.ts';
import type { FinalDoc } from './history.ts';
import { Reader } from './reader.ts';
import type { Recorder } from './recorder.ts';
import { tenantName, tenantToken, writerKeys, type WorkloadConfig } from './workload-config.ts';
import { Writer } from './writer.ts';

/** Final-read attempts 250 ms apart: for any answer, and before a 404 is taken as "no documents". */
const FINAL_ATTEMPTS = 40;
const FINAL_404_ATTEMPTS = 40;

export const headersOf = (tenant: string): Record<string, string> => ({ authorization: `Bearer ${tenantToken(tenant)}` });

export class Workload {
  private readonly clients: (Writer | Reader)[] = [];

  constructor(private readonly cfg: WorkloadConfig, private readonly index: string, private readonly instances: Instances, private readonly rec: Recorder) {
    for (let t = 0; t < cfg.tenants; t++) {
      const tenant = tenantName(t);
      const headers = headersOf(tenant);
      for (let w = 0; w < cfg.writers; w++) {
        const { shared, own } = writerKeys(cfg, w);
        this.clients.push(new Writer({ tenant, session: `w${w}`, index, headers, shared, own, rate: cfg.writeRate }, instances, rec, cfg.overlap));
      }
      const keys = Array.from({ length: cfg.keys }, (_, i) => `k${i}`);
      for (let r = 0; r < cfg.readers; r++) this.clients.push(new Reader({ tenant, session: `r${r}`, index, headers, keys, rate: cfg.readRate }, instances, rec));
    }
  }

  start(): void {
    for (const c of this.clients) c.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.stop()));
  }

  /**
   * Every tenant's documents after a refresh, read once the faults are off. Retried until it
   * answers; a 404 (index unknown) too, for a while: an index another instance created reaches
   * this one's snapshot only by its next read of the fleet store, slow after a slow control cluster.
   */
  async finalRead(): Promise<Map<string, FinalDoc[]>> {
    const out = new Map<string, FinalDoc[]>();
    for (let t = 0; t < this.cfg.tenants; t++) {
      const tenant = tenantName(t);
      out.set(tenant, await this.finalReadOf(tenant));
    }
    return out;
  }

  private async finalReadOf(tenant: string): Promise<FinalDoc[]> {
    const headers = headersOf(tenant);
    type Hit = { _id: string; _source?: { v?: unknown; tenant?: unknown } };
    for (let attempt = 0; ; attempt++) {
      const refresh = await send(this.instances, this.rec, 'POST', `/${this.index}/_refresh`, undefined, headers);
      const res = await send(this.instances, this.rec, 'POST', `/${this.index}/_search`, { query: { match_all: {} }, size: 10_000 }, headers);
      if (refresh.status === 200 && res.status === 200) {
        const hits = (res.body as { hits?: { hits?: Hit[] } }).hits?.hits ?? [];
        return hits.map((h) => ({ key: h._id, value: String(h._source?.v), tenant: String(h._source?.tenant) }));
      }
      if (res.status === 404 && attempt >= FINAL_404_ATTEMPTS) return [];
      if (attempt >= FINAL_ATTEMPTS) throw new Error(`the final read of tenant ${tenant} failed: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      await sleep(250);
    }
  }
}
