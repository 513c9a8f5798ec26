/**
 * Keeping the fleet store's index well formed (SPEC §5.1): the alias must point to one index with
 * the store's strict mapping and a meta document. A missing store is created (and, when this
 * instance has a last good snapshot, filled from it); a malformed one — the alias missing while an
 * index squats its name, or an index with the wrong mapping — is rebuilt into a fresh index from
 * what it still holds plus the snapshot, and the alias is swapped in one atomic `_aliases` call.
 */
import { isObject, type Json, type JsonObject } from '../core/json.ts';
import type { StoredDoc } from './documents.ts';
import type { EnsureResult } from './fleet-store.ts';

export interface StoreLayout {
  alias: string;
  mapping: JsonObject;
  metaId: string;
}

export type StoreCall = (method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD', path: string, body?: unknown) => Promise<{ status: number; body: Json | undefined }>;

type Inspection = { state: 'ok'; index: string } | { state: 'missing' } | { state: 'malformed'; index: string; squatter: boolean; reason: string };

const MAX_GENERATIONS = 50;

/** Where the alias points, and whether that index has the store's mapping. */
async function inspect(layout: StoreLayout, call: StoreCall): Promise<Inspection> {
  const alias = encodeURIComponent(layout.alias);
  const aliasAnswer = await call('GET', `/_alias/${alias}`);
  const targets = aliasAnswer.status === 200 && isObject(aliasAnswer.body) ? Object.keys(aliasAnswer.body) : [];
  if (targets.length === 0) {
    const head = await call('HEAD', `/${alias}`);
    if (head.status === 404) return { state: 'missing' };
    return { state: 'malformed', index: layout.alias, squatter: true, reason: `[${layout.alias}] is an index, not the store's alias` };
  }
  if (targets.length > 1) return { state: 'malformed', index: targets.sort()[0], squatter: false, reason: `the alias points to ${targets.length} indexes` };
  const index = targets[0];
  const mapping = await call('GET', `/${encodeURIComponent(index)}/_mapping`);
  const entry = isObject(mapping.body) ? mapping.body[index] : undefined;
  const actual = isObject(entry) && isObject(entry.mappings) ? entry.mappings : undefined;
  const problem = mappingProblem(layout.mapping, actual);
  return problem === undefined ? { state: 'ok', index } : { state: 'malformed', index, squatter: false, reason: problem };
}

/** Why `actual` is not the store's mapping (strict, every field with the expected type), or undefined. */
export function mappingProblem(expected: JsonObject, actual: JsonObject | undefined): string | undefined {
  if (actual === undefined) return 'the index has no mapping';
  if (String(actual.dynamic) !== String(expected.dynamic)) return `dynamic is [${String(actual.dynamic)}], not [${String(expected.dynamic)}]`;
  const want = isObject(expected.properties) ? expected.properties : {};
  const have = isObject(actual.properties) ? actual.properties : {};
  for (const [name, spec] of Object.entries(want)) {
    const got = have[name];
    if (!isObject(spec) || !isObject(got)) return `field [${name}] is not mapped`;
    const type = got.type ?? (got.properties !== undefined || got.enabled !== undefined ? 'object' : undefined);
    if (type !== spec.type) return `field [${name}] is [${String(type)}], not [${String(spec.type)}]`;
    if (spec.enabled === false && got.enabled !== false) return `field [${name}] is indexed`;
  }
  return undefined;
}

function storeSource(doc: StoredDoc): JsonObject {
  return { kind: doc.kind, key: doc.key, deleted: doc.deleted, updated_at: doc.updatedAt, body: doc.body };
}

/** Writes the meta document and `docs` into `index` (create: an existing, newer copy wins). */
async function fill(call: StoreCall, index: string, layout: StoreLayout, docs: readonly StoredDoc[], incarnation: string): Promise<void> {
  const lines = [JSON.stringify({ create: { _index: index, _id: layout.metaId } }), JSON.stringify({ kind: 'meta', key: 'store', deleted: false, updated_at: Date.now(), body: { incarnation } })];
  for (const doc of docs) lines.push(JSON.stringify({ create: { _index: index, _id: `${doc.kind}:${doc.key}` } }), JSON.stringify(storeSource(doc)));
  const res = await call('POST', '/_bulk?refresh=true', lines.join('\n') + '\n');
  if (res.status !== 200) throw new Error(`filling the fleet store failed: status ${res.status}`);
}

/** The newest copy of each document: the snapshot's and what a malformed index still holds. */
function merge(a: readonly StoredDoc[], b: readonly StoredDoc[]): StoredDoc[] {
  const byId = new Map<string, StoredDoc>();
  for (const doc of [...a, ...b]) {
    const id = `${doc.kind}:${doc.key}`;
    const seen = byId.get(id);
    if (seen === undefined || doc.updatedAt > seen.updatedAt) byId.set(id, doc);
  }
  return [...byId.values()];
}

/** What a malformed index still holds, as far as it can be read (best effort). */
async function salvage(call: StoreCall, index: string): Promise<StoredDoc[]> {
  const res = await call('POST', `/${encodeURIComponent(index)}/_search`, { size: 10_000, query: { match_all: {} } });
  const hits = isObject(res.body) && isObject(res.body.hits) && Array.isArray(res.body.hits.hits) ? res.body.hits.hits : [];
  const out: StoredDoc[] = [];
  for (const hit of hits) {
    const src = isObject(hit) && isObject(hit._source) ? hit._source : undefined;
    if (src === undefined || typeof src.kind !== 'string' || typeof src.key !== 'string' || !isObject(src.body) || src.kind === 'meta') continue;
    out.push({ kind: src.kind as StoredDoc['kind'], key: src.key, body: src.body, deleted: src.deleted === true, updatedAt: typeof src.updated_at === 'number' ? src.updated_at : 0, seqNo: -1, primaryTerm: 0 });
  }
  return out;
}

function generation(layout: StoreLayout, n: number): string {
  return `${layout.alias}-v${n}`;
}

/** Creates the first free `<alias>-v<N>` after `from` with the store's mapping (and optionally the alias). */
async function createGeneration(call: StoreCall, layout: StoreLayout, from: number, withAlias: boolean): Promise<string | undefined> {
  for (let n = from; n < from + MAX_GENERATIONS; n++) {
    const name = generation(layout, n);
    const body: JsonObject = { settings: { index: { number_of_shards: 1 } }, mappings: layout.mapping };
    if (withAlias) body.aliases = { [layout.alias]: {} };
    const res = await call('PUT', `/${encodeURIComponent(name)}`, body);
    if (res.status === 200) return name;
    const type = isObject(res.body) && isObject(res.body.error) ? res.body.error.type : undefined;
    if (type !== 'resource_already_exists_exception') throw new Error(`creating the fleet store index failed: status ${res.status}`);
    if (withAlias) return undefined; // someone else is creating the store: inspect again
  }
  throw new Error('no free generation name for the fleet store index');
}

function generationOf(layout: StoreLayout, index: string): number {
  const m = new RegExp(`^${layout.alias.replace(/[.]/g, '\\.')}-v(\\d+)$`).exec(index);
  return m === null ? 0 : Number(m[1]);
}

async function ensureMeta(call: StoreCall, layout: StoreLayout, index: string, incarnation: () => string): Promise<boolean> {
  const meta = await call('GET', `/${encodeURIComponent(index)}/_doc/${layout.metaId}`);
  if (meta.status === 200 && isObject(meta.body) && meta.body.found === true) return false;
  const body = { kind: 'meta', key: 'store', deleted: false, updated_at: Date.now(), body: { incarnation: incarnation() } };
  await call('PUT', `/${encodeURIComponent(index)}/_create/${layout.metaId}?refresh=wait_for`, body);
  return true;
}

/** Makes the store well formed; `docs` is this instance's last good snapshot (empty before the first). */
export async function repairStore(layout: StoreLayout, call: StoreCall, docs: () => readonly StoredDoc[], uuid: () => string): Promise<EnsureResult> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const seen = await inspect(layout, call);
    if (seen.state === 'ok') {
      const metaAdded = await ensureMeta(call, layout, seen.index, uuid);
      return metaAdded ? { outcome: 'repaired', detail: 'the store had no meta document' } : { outcome: 'ok' };
    }
    if (seen.state === 'missing') {
      const index = await createGeneration(call, layout, 1, true);
      if (index === undefined) continue;
      const known = docs();
      await fill(call, index, layout, known, uuid());
      return known.length === 0 ? { outcome: 'created' } : { outcome: 'repaired', detail: `the store was missing; rebuilt from the last good snapshot (${known.length} documents)` };
    }
    const kept = merge(docs(), await salvage(call, seen.index));
    const fresh = await createGeneration(call, layout, generationOf(layout, seen.index) + 1, false);
    if (fresh === undefined) continue;
    await fill(call, fresh, layout, kept, uuid());
    const remove = seen.squatter ? { remove_index: { index: seen.index } } : { remove: { index: seen.index, alias: layout.alias } };
    const swap = await call('POST', '/_aliases', { actions: [remove, { add: { index: fresh, alias: layout.alias } }] });
    if (swap.status !== 200) {
      await call('DELETE', `/${encodeURIComponent(fresh)}`);
      continue; // another instance repaired it first
    }
    if (!seen.squatter) await call('DELETE', `/${encodeURIComponent(seen.index)}`);
    return { outcome: 'repaired', detail: `${seen.reason}; rebuilt as [${fresh}] (${kept.length} documents)` };
  }
  throw new Error('the fleet store could not be made well formed (concurrent repairs?)');
}
