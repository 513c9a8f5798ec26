import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal.ts';

/** SHA-256 of a token, lowercase hex: what config stores instead of the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const NO_DIGEST = Buffer.alloc(32);

/**
 * Static bearer tokens, keyed by their SHA-256. Keying a Map by the hash of a secret leaks
 * nothing useful through timing (an attacker cannot steer the hash); the final timingSafeEqual
 * makes the accept decision itself constant-time, and runs on misses too.
 */
export class BearerTokens {
  /** The table is shared, not copied: with thousands of tenants a copy per snapshot adds up. */
  constructor(private readonly byHash: ReadonlyMap<string, Principal>) {}

  lookup(token: string): Principal | undefined {
    const digest = createHash('sha256').update(token, 'utf8').digest();
    const hex = digest.toString('hex');
    const principal = this.byHash.get(hex);
    const same = timingSafeEqual(digest, principal === undefined ? NO_DIGEST : Buffer.from(hex, 'hex'));
    return principal !== undefined && same ? principal : undefined;
  }
}
