import { createHmac, randomBytes } from 'node:crypto';
import { Lru } from './lru.ts';
import type { Principal } from './principal.ts';
import { DUMMY_SCRYPT, verifyPassword } from './scrypt.ts';

export interface BasicUser {
  principal: Principal;
  passwordScrypt: string;
}

export interface BasicCredentials {
  username: string;
  password: string;
}

/** Decodes the value after `Basic `; undefined when it is not base64 of `user:password`. */
export function parseBasic(value: string): BasicCredentials | undefined {
  const v = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  const decoded = Buffer.from(v, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const CACHE_SIZE = 1024;

/**
 * Successful scrypt verifications, kept across credential changes: keyed by an HMAC of
 * `user:password` under a per-process random key (a plain SHA-256 would be an offline-crackable
 * copy of the password in memory), valued with the stored hash they verified against. A hit counts
 * only while the user's current hash is still that one, so a changed or removed password stops at once.
 */
export class BasicCache {
  readonly verified = new Lru<string, string>(CACHE_SIZE);
  readonly inflight = new Map<string, Promise<boolean>>();
  private readonly secret = randomBytes(32);

  keyOf(creds: BasicCredentials): string {
    return createHmac('sha256', this.secret).update(`${creds.username}:${creds.password}`, 'utf8').digest('base64');
  }
}

/**
 * Basic-auth users with scrypt hashes. scrypt costs tens of ms, so successful verifications are
 * remembered (see BasicCache). Failures are never cached, and concurrent checks of the same
 * credentials share one scrypt run.
 */
export class BasicUsers {
  constructor(
    private readonly users: ReadonlyMap<string, BasicUser>,
    private readonly cache: BasicCache = new BasicCache(),
  ) {}

  /** The principal, or undefined for an unknown user or a wrong password (same time, same answer). */
  async verify(creds: BasicCredentials): Promise<Principal | undefined> {
    const user = this.users.get(creds.username);
    const hash = user?.passwordScrypt ?? DUMMY_SCRYPT;
    const key = this.cache.keyOf(creds);
    if (user !== undefined && this.cache.verified.get(key) === hash) return user.principal;
    const inflightKey = `${key}\0${hash}`;
    let pending = this.cache.inflight.get(inflightKey);
    if (pending === undefined) {
      // Unknown users still pay one scrypt, so timing does not reveal which usernames exist.
      pending = verifyPassword(creds.password, hash).finally(() => this.cache.inflight.delete(inflightKey));
      this.cache.inflight.set(inflightKey, pending);
    }
    const ok = await pending;
    if (user === undefined || !ok) return undefined;
    this.cache.verified.set(key, hash);
    return user.principal;
  }
}
