/**
 * Directive expiry (SPEC §6): directives stop by themselves at `expires_at` (the request path
 * compares the time); this watch writes the audit line when one lapses on this instance, drops
 * the break-glass rings of directives gone for `observe.breakglass_keep_s`, and keeps the
 * active-count gauge.
 */
import type { Services } from '../ops/services.ts';

const CHECK_MS = 500;

export function watchDirectiveExpiry(services: Services): () => void {
  const startedAt = Date.now();
  /** `id@version` of directives whose lapse was logged already. */
  const logged = new Set<string>();
  services.metrics.directives.watchActive(() => services.control.snapshot()?.directives.active(Date.now()).length ?? 0);
  const check = (): void => {
    const entries = services.control.snapshot()?.directives.entries;
    if (entries === undefined) return;
    const now = Date.now();
    for (const e of entries.values()) {
      const key = `${e.id}@${e.doc.version}`;
      // Only lapses seen while running: a restart does not log old expiries again.
      if (e.expiresMs > now || e.expiresMs < startedAt || logged.has(key)) continue;
      logged.add(key);
      services.audit.info({ audit: { operator: 'expiry', action: 'directive.expire', published_by: e.doc.published_by, directive: e.id, version: e.doc.version, expires_at: e.doc.expires_at, at: new Date(now).toISOString() } }, 'admin directive.expire');
    }
    services.breakglass.retain((id) => (entries.get(id)?.expiresMs ?? 0) > now, now, services.config.observe.breakglass_keep_s * 1000);
  };
  const timer = setInterval(check, CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
