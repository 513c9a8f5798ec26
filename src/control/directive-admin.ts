/**
 * Directive changes made through the admin API (SPEC §5.5, §6): guarded writes of the directive's
 * document, re-decided on a conflict; `if_version` lets a caller insist on the version it read.
 */
import { illegalArgument, notFound, OsproxyError } from '../http/errors.ts';
import type { ControlPlane } from './control-plane.ts';
import { DIRECTIVE_ID, DirectiveDocSchema, type Directive, type DirectiveDoc } from './directive-doc.ts';
import type { StoredDoc } from './documents.ts';
import { asJson } from './snapshot-builder.ts';

export function checkDirectiveId(id: string): void {
  if (!DIRECTIVE_ID.test(id)) throw illegalArgument('invalid_directive_id', `directive id [${id.slice(0, 80)}] must match ${DIRECTIVE_ID.source}`);
}

export function directiveNotFound(id: string): OsproxyError {
  return notFound('resource_not_found_exception', 'directive_not_found', `directive [${id}] does not exist`);
}

function docOf(stored: StoredDoc | undefined): DirectiveDoc | undefined {
  if (stored === undefined || stored.deleted) return undefined;
  const parsed = DirectiveDocSchema.safeParse(stored.body);
  return parsed.success ? parsed.data : undefined;
}

/** Checks what a schema cannot: the expiry is in the future but not too far, and a ring is no larger than allowed. */
export function checkDirective(d: Directive, now: number, limits: { maxRing: number; maxTtlSeconds: number }): void {
  const expires = Date.parse(d.expires_at);
  if (expires <= now) throw illegalArgument('invalid_admin_body', `expires_at: [${d.expires_at}] is in the past`);
  if (expires - now > limits.maxTtlSeconds * 1000) {
    throw illegalArgument('invalid_admin_body', `expires_at: [${d.expires_at}] is more than ${limits.maxTtlSeconds} s away (observe.directive_max_ttl_s)`);
  }
  const maxRing = limits.maxRing;
  if (d.ring_buffer !== undefined && d.ring_buffer.size > maxRing) {
    throw illegalArgument('invalid_admin_body', `ring_buffer.size: at most ${maxRing} (observe.breakglass_max)`);
  }
}

export class DirectiveAdmin {
  constructor(private readonly control: ControlPlane) {}

  /** Create or replace; bumps the version. `created` tells 201 from 200. */
  async publish(id: string, d: Directive, operator: string, ifVersion?: number): Promise<{ created: boolean; doc: DirectiveDoc }> {
    checkDirectiveId(id);
    let created = false;
    let result: DirectiveDoc | undefined;
    await this.control.mutate('directive', id, (stored) => {
      const current = docOf(stored);
      if (ifVersion !== undefined && (current?.version ?? 0) !== ifVersion) {
        throw new OsproxyError({ status: 409, type: 'version_conflict_engine_exception', code: 'directive_version_conflict', reason: `directive [${id}] is at version [${current?.version ?? 'none'}], not [${ifVersion}]` });
      }
      created = current === undefined;
      result = { ...d, id, version: (current?.version ?? 0) + 1, published_at: Date.now(), published_by: operator };
      return { kind: 'directive', key: id, deleted: false, body: asJson(result) };
    });
    return { created, doc: result as DirectiveDoc };
  }

  /** Removes the directive (a tombstone); it stops on every instance within a poll. */
  async remove(id: string): Promise<DirectiveDoc> {
    checkDirectiveId(id);
    let removed: DirectiveDoc | undefined;
    await this.control.mutate('directive', id, (stored) => {
      removed = docOf(stored);
      return removed !== undefined && stored !== undefined ? { ...stored, deleted: true } : undefined;
    });
    if (removed === undefined) throw directiveNotFound(id);
    return removed;
  }
}
