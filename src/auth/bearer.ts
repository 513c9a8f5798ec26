import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal.ts';

/** SHA-256 of a token, lowercase hex: what config stores instead of the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

interface TokenEntry {
  digest: Buffer;
  principal: Principal;
}

const NO_DIGEST = Buffer.alloc(32);

/**
 * Static bearer tokens, keyed by their SHA-256. Keying a Map by the hash of a secret leaks
 * nothing useful through timing (an attacker cannot steer the hash); the final timingSafeEqual
 * makes the accept decision itself constant-time, and runs on misses too.
 */
export class BearerTokens {
  private readonly byHash = new Map<string, TokenEntry>();

  constructor(principalsByHash: ReadonlyMap<string, Principal>) {
    for (const [hex, principal] of principalsByHash) {
      this.byHash.set(hex, { digest: Buffer.from(hex, 'hex'), principal });
    }
  }

  lookup(token: string): Principal | undefined {
    const digest = createHash('sha256').update(token, 'utf8').digest();
    const entry = this.byHash.get(digest.toString('hex'));
    const same = timingSafeEqual(digest, entry?.digest ?? NO_DIGEST);
    return entry !== undefined && same ? entry.principal : undefined;
  }
}
