/**
 * `/_osproxy/ready` (SPEC §5.5): 200 `ready`; 200 `degraded` with reasons while serving from a
 * stale control snapshot or with an upstream cluster's breaker open; 503 `not_ready` with reasons
 * without a verified snapshot (tenant requests then get 503) or while draining.
 */
import type { Services } from '../../ops/services.ts';

export interface Readiness {
  status: 'ready' | 'degraded' | 'not_ready';
  reasons: string[];
}

export function readiness(services: Services, accepting: boolean): Readiness {
  const control = services.control;
  if (!accepting) return { status: 'not_ready', reasons: ['shutting down'] };
  if (control.snapshot() === undefined) {
    return { status: 'not_ready', reasons: [`no verified control snapshot: ${control.problem ?? 'the fleet store has not been read yet'}`] };
  }
  const reasons: string[] = [];
  const ageMs = control.snapshotAgeMs;
  if (ageMs > services.config.control.stale_after_ms) {
    reasons.push(`the control snapshot is ${Math.round(ageMs / 1000)} s old${control.problem === undefined ? '' : `: ${control.problem}`}`);
  }
  // Half-open is still down as far as anyone knows: only a probe that succeeds closes it, and
  // with no traffic none is sent (reporting ready after reset_ms would hide a dead cluster).
  for (const c of services.clusters.values()) {
    const state = c.breaker.state;
    if (state === 'open') reasons.push(`cluster [${c.id}] is unreachable (circuit breaker open)`);
    else if (state === 'half_open') reasons.push(`cluster [${c.id}] is unreachable (circuit breaker half-open: the next request probes it)`);
  }
  return reasons.length === 0 ? { status: 'ready', reasons: [] } : { status: 'degraded', reasons };
}
