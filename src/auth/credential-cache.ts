/**
 * Verified credentials of the current control snapshot (SPEC §4.1 on the hot path): hashing a
 * bearer token (or verifying a JWT's signature) on every request costs more than everything else
 * auth does, so the principal a given `Authorization` header resolved to is remembered — bounded
 * (LRU), and only for as long as the control snapshot it was verified against is the current one.
 * Every snapshot change (a rotated, removed or re-scoped credential, a suspended tenant, or any
 * other change) empties the cache before the next lookup, so a credential that stops being valid
 * stops at once; a JWT is also dropped at its `exp` (and re-verified at least every few minutes,
 * so a key withdrawn from the JWKS does not live on here).
 *
 * Only bearer credentials are kept (static tokens and JWTs, the ones whose check costs): Basic
 * has its own cache of scrypt results that never holds a password (basic.ts), and a client
 * certificate or the dev principal costs a map lookup already. The key is the header value
 * itself: the process sees it on every request anyway, and tokens are random (they are not
 * crackable passwords). Failures are never cached.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Authenticator, PeerInfo } from './authenticator.ts';
import { Lru } from './lru.ts';
import type { Principal } from './principal.ts';

const DEFAULT_SIZE = 1024;
/** The longest a verified JWT is trusted from the cache before its signature is checked again. */
const JWT_RECHECK_MS = 5 * 60_000;

interface Entry {
  principal: Principal;
  /** ms since the epoch; Infinity for a static token (kept until the snapshot changes). */
  until: number;
}

export class CredentialCache {
  private readonly entries: Lru<string, Entry>;
  /** The snapshot the entries were verified against. */
  private owner: object | undefined;

  constructor(
    size = DEFAULT_SIZE,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new Lru(size);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * `auth.authenticate(headers, peer)`, answered from the cache when the same Authorization header
   * was verified under the same `snapshot` (the object identity of the control snapshot).
   */
  async authenticate(snapshot: object, auth: Authenticator, headers: IncomingHttpHeaders, peer: PeerInfo): Promise<Principal> {
    if (snapshot !== this.owner) {
      this.entries.clear();
      this.owner = snapshot;
    }
    const key = headers.authorization;
    if (key === undefined || key === '') return auth.authenticate(headers, peer);
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      if (hit.until > this.now()) return hit.principal;
      this.entries.delete(key);
    }
    const principal = await auth.authenticate(headers, peer);
    // The snapshot may have changed while a JWT's key was being fetched: keep only what was verified against the current one.
    if (this.owner === snapshot) this.remember(key, principal);
    return principal;
  }

  private remember(key: string, principal: Principal): void {
    if (principal.kind === 'token') this.entries.set(key, { principal, until: Number.POSITIVE_INFINITY });
    else if (principal.kind === 'jwt' && principal.expiresAtMs !== undefined) {
      this.entries.set(key, { principal, until: Math.min(principal.expiresAtMs, this.now() + JWT_RECHECK_MS) });
    }
  }
}
