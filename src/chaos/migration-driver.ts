/** The `migration` scenario's move: one tenant's index shared → index during the run, recorded for the migration verifier. */
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { ChaosFleet } from './fleet.ts';
import { OPERATOR_TOKEN } from './fleet.ts';
import type { MigrationRecord } from './history.ts';

interface View {
  id: string;
  from: string;
  to: string;
  state: string;
  fence: { epoch: number } | null;
  error: string | null;
}

const admin = { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' };

async function json<T>(url: string, method: 'GET' | 'POST', body?: unknown): Promise<{ status: number; body: T }> {
  const res = await request(url, { method, headers: admin, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.statusCode, body: (await res.body.json()) as T };
}

/** The highest `_epoch` on the tenant's documents left in the shared source index (read from the engine). */
async function sourceStamp(engineUrl: string, tenant: string, index: string): Promise<number | null> {
  const physical = `osproxy-shared-${index}`;
  await request(`${engineUrl}/${physical}/_refresh`, { method: 'POST' }).then((r) => r.body.dump());
  const query = { bool: { filter: [{ term: { _tenant: tenant } }, { term: { _lindex: index } }] } };
  const res = await request(`${engineUrl}/${physical}/_search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ size: 0, query, aggs: { top: { max: { field: '_epoch' } } } }) });
  const body = (await res.body.json()) as { aggregations?: { top: { value: number | null } } };
  return body.aggregations?.top.value ?? null;
}

/** Starts the migration and follows it to an end state (or the timeout); the record says how it ended. */
export async function migrate(fleet: ChaosFleet, tenant: string, index: string, timeoutMs: number): Promise<MigrationRecord> {
  const base = () => `${fleet.urls()[0]}/_osproxy/admin/migrations`;
  let started: { status: number; body: View } | undefined;
  for (let i = 0; i < 20 && started?.status !== 201; i++) {
    started = await json<View>(base(), 'POST', { tenant, index, to: { kind: 'index' }, auto_cutover: true, keep_source: true }).catch(() => undefined);
    if (started?.status !== 201) await sleep(200);
  }
  if (started?.status !== 201) return { tenant, index, from: 'shared', to: 'index', state: `not started (${started?.status ?? 'no answer'})`, fenceEpoch: null, sourceHighestStamp: null };
  const deadline = Date.now() + timeoutMs;
  let view = started.body;
  while (!['complete', 'failed', 'cancelled'].includes(view.state) && Date.now() < deadline) {
    await sleep(100);
    const res = await json<View>(`${base()}/${tenant}/${index}`, 'GET').catch(() => undefined);
    if (res?.status === 200) view = res.body;
  }
  const stamp = await sourceStamp(fleet.engine.url, tenant, index).catch(() => null);
  return { tenant, index, from: view.from, to: view.to, state: view.state, fenceEpoch: view.fence?.epoch ?? null, sourceHighestStamp: stamp };
}
