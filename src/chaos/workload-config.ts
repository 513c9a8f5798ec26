/** The chaos workload's shape: tenants, clients and rates, and each tenant's key pool with writer overlap. */

export interface WorkloadConfig {
  tenants: number;
  /** Writers and readers per tenant. */
  writers: number;
  readers: number;
  /** Operations per second per client. */
  writeRate: number;
  readRate: number;
  /** Fraction of the key pool every writer of a tenant writes (the rest is split between them). */
  overlap: number;
  /** Keys per tenant. */
  keys: number;
}

export const DEFAULT_WORKLOAD: WorkloadConfig = { tenants: 20, writers: 2, readers: 1, writeRate: 5, readRate: 5, overlap: 0.1, keys: 40 };

export const tenantName = (i: number): string => `t${i}`;
export const tenantToken = (tenant: string): string => `chaos-${tenant}-token`;

/** The keys writer `w` of `writers` draws from: the shared part, then its own slice of the rest. */
export function writerKeys(cfg: Pick<WorkloadConfig, 'keys' | 'overlap' | 'writers'>, w: number): { shared: string[]; own: string[] } {
  const all = Array.from({ length: cfg.keys }, (_, i) => `k${i}`);
  const sharedCount = Math.round(cfg.overlap * cfg.keys);
  const rest = all.slice(sharedCount);
  const per = Math.max(1, Math.floor(rest.length / cfg.writers));
  return { shared: all.slice(0, sharedCount), own: rest.slice(w * per, w === cfg.writers - 1 ? rest.length : (w + 1) * per) };
}

/** One line of the CSV's `config` column. */
export function describeWorkload(cfg: WorkloadConfig): string {
  return `tenants=${cfg.tenants} writers=${cfg.writers} write-rate=${cfg.writeRate} readers=${cfg.readers} read-rate=${cfg.readRate} overlap=${cfg.overlap}`;
}
