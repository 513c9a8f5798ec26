/**
 * Copy, diff and reconcile (SPEC §5.3 steps 1–3): the bulk copy of a source into a target, the
 * diff of both sides by ids and versions (and source hashes, deep), and a reconcile pass that
 * makes the target match the source as of that pass — newer documents copied, extras deleted.
 */
import { createHash } from 'node:crypto';
import type { Json } from '../core/json.ts';
import type { Diff } from '../control/documents.ts';
import type { MigrationSide, SideDoc } from './side.ts';

/** Pacing of a copy: at most this many documents per second (undefined: as fast as the sides go). */
export interface Pace {
  maxDocsPerSecond?: number;
  /** Called after every page with the documents copied so far; throwing stops the copy. */
  onProgress(copied: number): Promise<void>;
}

const FETCH_BATCH = 200;

async function paced(pace: Pace, started: number, done: number): Promise<void> {
  if (pace.maxDocsPerSecond === undefined) return;
  const due = started + (done / pace.maxDocsPerSecond) * 1000;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/** Copies every source document into the target (external versions: a re-copy changes nothing). */
export async function copyAll(source: MigrationSide, target: MigrationSide, pace: Pace): Promise<number> {
  const started = Date.now();
  let copied = 0;
  await source.scan(true, async (docs) => {
    await target.write(docs);
    copied += docs.length;
    await pace.onProgress(copied);
    await paced(pace, started, copied);
  });
  return copied;
}

async function versions(side: MigrationSide): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await side.refresh();
  await side.scan(false, async (docs) => {
    for (const d of docs) out.set(d.id, d.version);
  });
  return out;
}

function canonical(value: Json | undefined): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function sourceHash(doc: SideDoc): string {
  return createHash('sha256').update(canonical(doc.source)).digest('base64');
}

export interface DiffResult extends Diff {
  missingIds: string[];
  staleIds: string[];
  extraIds: string[];
  changedIds: string[];
}

/** A reconcile pass: the diff it acted on, and the ids it had to write with the target's own versions. */
export interface ReconcileResult extends DiffResult {
  overwrittenIds: string[];
}

/** Compares both sides: counts, ids, versions; `deep` also compares source hashes (always for `suspect` ids). */
export async function diffSides(source: MigrationSide, target: MigrationSide, deep = false, suspect: ReadonlySet<string> = new Set()): Promise<DiffResult> {
  // Both sides at once: under the cutover's fence this scan is the write pause.
  const [s, t] = await Promise.all([versions(source), versions(target)]);
  const missingIds: string[] = [];
  const staleIds: string[] = [];
  const same: string[] = [];
  const ahead: string[] = [];
  for (const [id, v] of s) {
    const tv = t.get(id);
    if (tv === undefined) missingIds.push(id);
    else if (tv < v) staleIds.push(id);
    else if (tv > v) ahead.push(id);
    else same.push(id);
  }
  // A target copy with a higher version: the source id was deleted and created again (versions
  // restart once a delete's tombstone is gone). Equal sources are the same document.
  staleIds.push(...(await changedSources(source, target, ahead)));
  const extraIds = [...t.keys()].filter((id) => !s.has(id));
  const changedIds = await changedSources(source, target, deep ? same : same.filter((id) => suspect.has(id)));
  return {
    source: s.size, target: t.size, missing: missingIds.length, stale: staleIds.length, extra: extraIds.length,
    ...(deep || changedIds.length > 0 ? { changed: changedIds.length } : {}), at: Date.now(), missingIds, staleIds, extraIds, changedIds,
  };
}

async function changedSources(source: MigrationSide, target: MigrationSide, ids: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += FETCH_BATCH) {
    const batch = ids.slice(i, i + FETCH_BATCH);
    const [a, b] = await Promise.all([source.fetch(batch), target.fetch(batch)]);
    const hashes = new Map(b.map((d) => [d.id, sourceHash(d)]));
    for (const d of a) if (hashes.get(d.id) !== sourceHash(d)) out.push(d.id);
  }
  return out;
}

/** The number of documents a diff says differ. */
export function differences(d: Diff): number {
  return d.missing + d.stale + d.extra + (d.changed ?? 0);
}

/**
 * One reconcile pass: the documents the diff found missing, stale or changed are copied again
 * (a target copy that is newer than the source's — an id deleted and re-created at the source —
 * is deleted first), extras are deleted. Returns the diff it acted on. Not throttled: a catch-up
 * paced below the index's write rate would never converge.
 */
export async function reconcile(source: MigrationSide, target: MigrationSide, deep = false, suspect: ReadonlySet<string> = new Set()): Promise<ReconcileResult> {
  const diff = await diffSides(source, target, deep, suspect);
  const again = [...diff.missingIds, ...diff.staleIds, ...diff.changedIds];
  const overwrittenIds: string[] = [];
  for (let i = 0; i < again.length; i += FETCH_BATCH) {
    const docs = await source.fetch(again.slice(i, i + FETCH_BATCH));
    const refused = new Set(await target.write(docs));
    // External versions only move forward: what the target holds as newer (or a newer delete's
    // tombstone) is overwritten, and that copy's version is then the target's own.
    if (refused.size > 0) {
      await target.overwrite(docs.filter((d) => refused.has(d.id)));
      overwrittenIds.push(...refused);
    }
  }
  for (let i = 0; i < diff.extraIds.length; i += FETCH_BATCH) await target.remove(diff.extraIds.slice(i, i + FETCH_BATCH));
  return { ...diff, overwrittenIds };
}
