/** Shared fixtures for the tenancy tests: one tenant (`acme`), a neighbour (`globex`) whose name must never leak. */
import assert from 'node:assert/strict';
import type { Json, JsonObject } from '../../src/core/json.ts';
import { DEFAULT_RESERVED_FIELDS, IsolationError, resolveTarget, type SearchScope, type Target } from '../../src/tenancy/index.ts';

export const TENANT = 'acme';
export const OTHER_TENANT = 'globex';
export const RESERVED = DEFAULT_RESERVED_FIELDS;

export const ORDERS = resolveTarget(TENANT, 'orders', { kind: 'shared' });
export const ITEMS = resolveTarget(TENANT, 'items', { kind: 'shared' });
export const LOGS = resolveTarget(TENANT, 'logs', { kind: 'index' });
export const ONE_SHARED_ORDERS = resolveTarget(TENANT, 'orders', { kind: 'shared', index_template: 'osproxy-shared' });
export const ONE_SHARED_ITEMS = resolveTarget(TENANT, 'items', { kind: 'shared', index_template: 'osproxy-shared' });

export function scopeOf(targets: Target[], extra: Partial<SearchScope> = {}): SearchScope {
  return { tenant: TENANT, targets, reserved: RESERVED, storedScriptAllowlist: new Set(['approved-score']), ...extra };
}

export const SHARED = scopeOf([ORDERS]);
export const DEDICATED = scopeOf([LOGS]);
export const MIXED = scopeOf([ORDERS, LOGS]);

/** The scope filter for `acme` on the given shared logical indexes. */
export function sharedFilter(...lindexes: string[]): JsonObject {
  return { bool: { filter: [{ term: { _tenant: TENANT } }, { terms: { _lindex: lindexes } }] } };
}

/** What a shared-only search wraps `query` into. */
export function wrapped(query: Json, ...lindexes: string[]): JsonObject {
  return { bool: { must: [query], filter: [sharedFilter(...(lindexes.length > 0 ? lindexes : ['orders']))] } };
}

/** Assert an IsolationError with the given code and type, whose reason never names another tenant. */
export function assertRefused(fn: () => unknown, code: string, type = 'illegal_argument_exception'): IsolationError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof IsolationError, `expected an IsolationError, got ${String(caught)}`);
  assert.equal(caught.status, 400);
  assert.equal(caught.code, code, caught.reason);
  assert.equal(caught.type, type);
  assert.ok(!caught.reason.includes(OTHER_TENANT), 'the reason must not name another tenant');
  assert.ok(!caught.reason.includes('osproxy-shared'), 'the reason must not name a physical index');
  return caught;
}
