/**
 * The driver of one migration (SPEC §5.3), run by the instance holding its lease: it advances the
 * state machine `copying → catching_up → verified → cutover → complete` (or `cancelled`), every
 * step idempotent and its progress in the fleet store, so that a driver that dies is replaced by
 * another instance's and resumes where the document says it was.
 */
import { randomBytes } from 'node:crypto';
import type { Diff, IndexDoc, MigrationDoc } from '../control/documents.ts';
import { asJson } from '../control/snapshot-builder.ts';
import type { Json } from '../core/json.ts';
import { chooseHome } from '../ops/shared-homes.ts';
import { resolveTarget } from '../tenancy/index.ts';
import { mappingJson, parseLogicalMapping } from '../tenancy/mapping/logical-mapping.ts';
import { awaitAcknowledgements, drainMs, fenceWrites, flipped, flipPlacement, liftFence } from './cutover.ts';
import { cursorsOpenOn, driverHomeEnv, indexDoc, LostLease, migrationOf, sidesOf, sourceMapping, updateMigration, type DriverEnv } from './driver-env.ts';
import { copyAll, differences, reconcile, type DiffResult } from './reconcile.ts';
import type { MigrationSide } from './side.ts';
import { MigrationStepError } from './upstream-json.ts';

type StepOutcome = 'again' | 'idle';

/** An operator cancelled while a long step ran: the step stops, the next one cancels. */
class CancelRequested extends Error {
  override readonly name = 'CancelRequested';
}

interface Prepared {
  index: IndexDoc;
  source: MigrationSide;
  target: MigrationSide;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const PROGRESS_EVERY_MS = 1_000;
/** Ids recorded as overwritten at most; beyond, every diff of the migration is deep. */
const MAX_OVERWRITTEN = 10_000;

export class MigrationDriver {
  private lastProgress = 0;

  constructor(
    private readonly env: DriverEnv,
    private readonly key: string,
    private readonly holder: string,
    private readonly stopping: () => boolean,
  ) {}

  /** Advances the migration until it is done, waits for an operator or a due time, or the lease moves. */
  async run(): Promise<void> {
    while (!this.stopping()) {
      const m = migrationOf(await this.env.control.store.get('migration', this.key));
      if (m === undefined) return;
      try {
        if ((await this.step(m)) === 'idle') return;
      } catch (e) {
        if (e instanceof LostLease) return;
        if (e instanceof CancelRequested) continue;
        const reason = e instanceof Error ? e.message : String(e);
        this.env.log.warn({ migration: this.key, state: m.state, reason }, 'a migration step failed; it is retried');
        await this.update((d) => ({ ...d, error: reason })).catch(() => undefined);
        await sleep(1_000);
      }
    }
  }

  private update(change: (m: MigrationDoc) => MigrationDoc | undefined): Promise<MigrationDoc> {
    return updateMigration(this.env, this.key, this.holder, change);
  }

  private async step(m: MigrationDoc): Promise<StepOutcome> {
    if (m.leftovers.some((l) => !l.kept && Date.now() >= l.due)) {
      const outcome = await this.removeLeftovers(m);
      if (outcome === 'again') return outcome;
    }
    if (m.requested === 'cancel' && m.state !== 'complete' && m.state !== 'cancelled') return this.cancel(m);
    switch (m.state) {
      case 'copying': return this.copy(m);
      case 'catching_up': return this.catchUp(m);
      case 'verified': return this.whileVerified(m);
      case 'cutover': return this.cutover(m);
      case 'complete': return this.removeSource(m);
      case 'cancelled': return 'idle';
    }
  }

  /** A shared target gets its home (chosen once, recorded before anything is copied). */
  private async withHome(m: MigrationDoc): Promise<MigrationDoc> {
    if (m.to.placement.kind !== 'shared' || m.to.home !== undefined) return m;
    const base = resolveTarget(m.tenant, m.index, m.to.placement);
    const home = await chooseHome(driverHomeEnv(this.env), base, m.from.home);
    return this.update((d) => ({ ...d, to: { ...d.to, home, layout: 1, incarnation: d.to.incarnation ?? randomBytes(9).toString('base64url') } }));
  }

  /** Both sides, the target created and mapped as the source is; a dedicated source starts stamping its writes. */
  private async prepare(doc: MigrationDoc): Promise<Prepared & { m: MigrationDoc }> {
    const m = await this.withHome(doc);
    const index = await indexDoc(this.env, m);
    if (index === undefined) throw new MigrationStepError(`index [${m.index}] of tenant [${m.tenant}] is gone`);
    if (!sameLocation(index, m.from)) throw new MigrationStepError(`index [${m.index}] is no longer where this migration started; cancel it`);
    const probe = sidesOf(this.env, m, { source: index.mapping as Json | undefined });
    const json = await sourceMapping(m, index, probe.source);
    const logical = m.to.placement.kind === 'shared' ? parseLogicalMapping(json ?? {}) : undefined;
    const { source, target } = sidesOf(this.env, m, { source: index.mapping as Json | undefined, target: {} });
    if (target.shared) await target.addSharedFields(logical ?? { properties: {} });
    else {
      await target.createDedicated(json);
      await target.putDedicatedMapping(json);
    }
    if (!source.shared && index.stamp_epoch !== true) {
      await source.putDedicatedMapping(undefined);
      await this.env.control.changeIndex(m.tenant, m.index, (d) => (d.stamp_epoch === true ? undefined : { ...d, stamp_epoch: true }));
    }
    return { m, index, source, target };
  }

  private async progress(copied: number): Promise<void> {
    if (this.stopping()) throw new LostLease('the instance is stopping');
    if (Date.now() - this.lastProgress < PROGRESS_EVERY_MS) return;
    this.lastProgress = Date.now();
    const m = await this.update((d) => ({ ...d, copied }));
    if (m.requested === 'cancel') throw new CancelRequested();
  }

  /**
   * Before anything is copied the target holds nothing of this index: an older copy there (the
   * source of an earlier move, kept or not yet removed) could hold a document at the very version
   * the source has now with other content, which no diff by version would see. A copy that is
   * still read by a cursor is waited for.
   */
  private async clearTarget(doc: MigrationDoc): Promise<MigrationDoc | undefined> {
    const m = await this.withHome(doc);
    const index = await indexDoc(this.env, m);
    const { source, target } = sidesOf(this.env, m, { source: index?.mapping as Json | undefined, target: {} });
    if (source.target.cluster === target.target.cluster && source.target.physicalIndex === target.target.physicalIndex && !target.shared) {
      throw new MigrationStepError('the target is the source’s own index');
    }
    const there = m.leftovers.filter((l) => atTarget(m, l.location));
    if (there.length > 0 && cursorsOpenOn(this.env, m.tenant, m.index, target)) {
      await this.update((d) => ({ ...d, error: 'waiting for readers of an older copy at the target to finish (their scroll or PIT keep-alive)' }));
      return undefined;
    }
    // A shared target shares its physical index with the source only in another home; the query is the tenant's index.
    if (!(target.shared && source.shared && source.target.physicalIndex === target.target.physicalIndex)) await target.destroy();
    return this.update((d) => ({ ...d, error: undefined, leftovers: d.leftovers.filter((l) => !atTarget(d, l.location)) }));
  }

  private async copy(doc: MigrationDoc): Promise<StepOutcome> {
    const cleared = await this.clearTarget(doc);
    if (cleared === undefined) return 'idle';
    const { m, source, target } = await this.prepare(cleared);
    const total = await source.count();
    await this.update((d) => ({ ...d, total, copied: 0, error: undefined }));
    const copied = await copyAll(source, target, { maxDocsPerSecond: m.max_docs_per_second, onProgress: (c) => this.progress(c) });
    await this.update((d) => ({ ...d, state: 'catching_up', copied, total: Math.max(total, copied) }));
    return 'again';
  }

  /** Few enough differences to call the target caught up: the cutover's final pass does the rest. */
  private small(m: MigrationDoc): number {
    return Math.max(10, Math.ceil(m.total / 1_000));
  }

  private async catchUp(doc: MigrationDoc): Promise<StepOutcome> {
    const { m, source, target } = await this.prepare(doc);
    const diff = await this.pass(m, source, target);
    // Caught up when little differs, or when a pass no longer shrinks the difference: what is left
    // is what the writers change during one pass, and only the fenced final pass can fix that.
    const before = m.diff === undefined ? undefined : differences(m.diff);
    const caughtUp = differences(diff) <= this.small(m) || (before !== undefined && differences(diff) >= before * 0.8);
    await this.update((d) => ({ ...d, diff, error: undefined, state: caughtUp ? 'verified' : d.state }));
    return 'again';
  }

  private async whileVerified(m: MigrationDoc): Promise<StepOutcome> {
    if (m.requested === 'cutover' || m.auto_cutover) {
      await this.update((d) => ({ ...d, state: 'cutover', requested: undefined }));
      return 'again';
    }
    await sleep(1_000);
    const { source, target } = await this.prepare(m);
    const diff = await this.pass(m, source, target);
    await this.update((d) => ({ ...d, diff }));
    return 'again';
  }

  private async cutover(doc: MigrationDoc): Promise<StepOutcome> {
    const now = await indexDoc(this.env, doc);
    if (now !== undefined && flipped(now, doc)) return this.complete(doc);
    const fence = await fenceWrites(this.env, doc);
    const m = doc.fence === undefined ? await this.update((d) => ({ ...d, fence })) : doc;
    await awaitAcknowledgements(this.env, fence, () => this.unlessCancelled());
    for (const until = Date.now() + drainMs(this.env, m); Date.now() < until; ) {
      await sleep(Math.min(100, until - Date.now()));
      await this.unlessCancelled();
    }
    const { source, target } = await this.prepare(m);
    // Writes are fenced and drained: passes until one finds nothing to fix make the target exact.
    let diff: Diff;
    do diff = await this.pass(m, source, target);
    while (differences(diff) > 0);
    // The flip is the point of no return: a cancel asked for until here is honoured.
    await this.unlessCancelled();
    await flipPlacement(this.env, m, target.logical === undefined ? undefined : asJson(mappingJson(target.logical)));
    return this.complete(m, diff);
  }

  /** One reconcile pass; the ids it had to overwrite are recorded, so later diffs compare their content. */
  private async pass(m: MigrationDoc, source: MigrationSide, target: MigrationSide): Promise<Diff> {
    const current = await this.update(() => undefined);
    const result = await reconcile(source, target, current.overwritten_all, new Set(current.overwritten));
    if (result.overwrittenIds.length > 0) {
      await this.update((d) => {
        const ids = [...new Set([...d.overwritten, ...result.overwrittenIds])];
        return ids.length > MAX_OVERWRITTEN ? { ...d, overwritten: [], overwritten_all: true } : { ...d, overwritten: ids };
      });
      this.env.log.info({ migration: this.key, ids: result.overwrittenIds.length }, 'target copies written over newer versions or tombstones: their content is compared from now on');
    }
    return summary(result);
  }

  /** Stops the step when an operator asked to cancel (also proves the lease is still this driver's). */
  private async unlessCancelled(): Promise<void> {
    const current = await this.update(() => undefined);
    if (current.requested === 'cancel') throw new CancelRequested();
  }

  /** Marks the migration complete. Never reconciles again: the target takes writes now, the source is stale. */
  private async complete(m: MigrationDoc, diff?: Diff): Promise<StepOutcome> {
    await this.update((d) => ({ ...d, state: 'complete', completed_at: Date.now(), diff: diff ?? d.diff, requested: undefined, error: undefined }));
    this.env.log.info({ migration: this.key, to: m.to.placement.kind }, 'migration complete: the index is served from its new placement');
    return 'again';
  }

  /** After `complete`: the source copy goes once open cursors on it have expired (unless kept). */
  private async removeSource(m: MigrationDoc): Promise<StepOutcome> {
    if (m.source_removed || m.keep_source) return 'idle';
    if (Date.now() < (m.completed_at ?? 0) + this.env.config.control.migration_cleanup_grace_ms) return 'idle';
    const index = await indexDoc(this.env, m);
    const { source } = sidesOf(this.env, m, { source: index?.mapping as Json | undefined });
    if (index !== undefined && sameLocation(index, m.from)) throw new MigrationStepError('the source is the index’s current placement; it is kept');
    if (cursorsOpenOn(this.env, m.tenant, m.index, source)) return 'idle';
    await source.destroy();
    await this.env.control.changeIndex(m.tenant, m.index, (d) => (d.previous === undefined ? undefined : { ...d, previous: undefined }));
    await this.update((d) => ({ ...d, source_removed: true }));
    return 'idle';
  }

  /** Sources of earlier moves, due now: removed unless the index lives there again. */
  private async removeLeftovers(m: MigrationDoc): Promise<StepOutcome> {
    const index = await indexDoc(this.env, m);
    const due = m.leftovers.filter((l) => !l.kept && Date.now() >= l.due);
    const done: typeof due = [];
    for (const l of due) {
      // Where the index lives, or where this move is copying to, is never removed.
      if (index !== undefined && sameLocation(index, l.location)) {
        done.push(l);
        continue;
      }
      // At this move's target: cleared before its copy (see clearTarget), never here.
      if (atTarget(m, l.location)) continue;
      const { source } = sidesOf(this.env, { ...m, from: l.location }, { source: index?.mapping as Json | undefined });
      // Still read by a cursor: kept for a later pass; the move itself goes on meanwhile.
      if (cursorsOpenOn(this.env, m.tenant, m.index, source)) continue;
      await source.destroy();
      done.push(l);
    }
    if (done.length === 0) return 'idle';
    await this.update((d) => ({ ...d, leftovers: d.leftovers.filter((l) => !done.some((x) => JSON.stringify(x) === JSON.stringify(l))) }));
    return 'again';
  }

  private async cancel(m: MigrationDoc): Promise<StepOutcome> {
    const index = await indexDoc(this.env, m);
    // The placement flipped already: the move is done; going back is a reverse, not a cancel.
    if (index !== undefined && flipped(index, m)) {
      this.env.log.warn({ migration: this.key }, 'cancel came after the placement flipped: the migration completes; reverse it to go back');
      return this.complete(m);
    }
    if (m.fence !== undefined) await liftFence(this.env, m);
    const { target } = sidesOf(this.env, m, { source: index?.mapping as Json | undefined, target: {} });
    if (m.to.placement.kind !== 'shared' || m.to.home !== undefined) {
      if (index === undefined || !sameLocation(index, m.to)) await target.destroy();
    }
    await this.update((d) => ({ ...d, state: 'cancelled', requested: undefined, error: undefined }));
    this.env.log.info({ migration: this.key }, 'migration cancelled: the index stays where it was, the target copy is removed');
    return 'idle';
  }
}

/** Whether a location is where this migration copies to (a shared target's home is known once chosen). */
function atTarget(m: MigrationDoc, loc: MigrationDoc['from']): boolean {
  if (JSON.stringify(m.to.placement) !== JSON.stringify(loc.placement)) return false;
  return m.to.placement.kind !== 'shared' || m.to.home === undefined || m.to.home === loc.home;
}

function sameLocation(index: IndexDoc, loc: MigrationDoc['from']): boolean {
  return JSON.stringify(index.placement) === JSON.stringify(loc.placement) && index.home === loc.home;
}

/** A diff as recorded (without its id lists). */
function summary(d: DiffResult): Diff {
  const { missingIds: _m, staleIds: _s, extraIds: _e, changedIds: _c, ...diff } = d;
  return diff;
}
