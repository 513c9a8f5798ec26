/**
 * `SIGHUP` (issue: live-changeable configuration): the parts of the configuration that can change
 * without a restart are applied at once; the others are named in the log as needing one. An
 * invalid file changes nothing (the caller logs why).
 */
import type { OsproxyConfig } from '../config/schema.ts';

/** Applied at once: they are read per request (limits, cleartext), or reconfigure their owner. */
export const LIVE_KEYS = ['log_level', 'limits', 'admission', 'operators', 'allow_cleartext_mutation'] as const;
/** The YAML tenants only ever seed an empty store: editing them later changes nothing, by design. */
const SEED_ONLY = ['tenants'];

export interface ConfigDiff {
  live: OsproxyConfig;
  applied: string[];
  needsRestart: string[];
}

/** The running configuration with the live parts of `next`, and what changed. */
export function diffConfig(running: OsproxyConfig, next: OsproxyConfig): ConfigDiff {
  const same = (k: keyof OsproxyConfig): boolean => JSON.stringify(running[k]) === JSON.stringify(next[k]);
  const applied = LIVE_KEYS.filter((k) => !same(k));
  const needsRestart = (Object.keys(next) as (keyof OsproxyConfig)[]).filter((k) => !(LIVE_KEYS as readonly string[]).includes(k) && !SEED_ONLY.includes(k) && !same(k));
  const live: OsproxyConfig = { ...running };
  for (const k of LIVE_KEYS) (live as Record<string, unknown>)[k] = next[k];
  return { live, applied, needsRestart };
}

interface Reconfigurable {
  services: { log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void }; reconfigure(next: OsproxyConfig): ConfigDiff };
}

/** On SIGHUP, re-reads the configuration with `load` and applies its live parts; a bad file changes nothing. */
export function reloadOnSighup(proxy: Reconfigurable, load: () => OsproxyConfig): void {
  process.on('SIGHUP', () => {
    const { log } = proxy.services;
    let next: OsproxyConfig;
    try {
      next = load();
    } catch (e) {
      log.error({ reason: e instanceof Error ? e.message : String(e) }, 'configuration reload failed; the running configuration stays');
      return;
    }
    const diff = proxy.services.reconfigure(next);
    log.info({ applied: diff.applied }, 'configuration reloaded');
    if (diff.needsRestart.length > 0) log.warn({ keys: diff.needsRestart }, 'these configuration changes need a restart to take effect');
  });
}
