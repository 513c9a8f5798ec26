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
 * Basic-auth users with scrypt hashes. scrypt costs tens of ms, so successful verifications are
 * remembered in a bounded LRU keyed by an HMAC of `user:password` under a per-process random key
 * (a plain SHA-256 would be an offline-crackable copy of the password in memory). Failures are
 * never cached, and concurrent checks of the same credentials share one scrypt run.
 */
export class BasicUsers {
  private readonly cache = new Lru<string, Principal>(CACHE_SIZE);
  private readonly inflight = new Map<string, Promise<Principal | undefined>>();
  private readonly cacheKeySecret = randomBytes(32);

  constructor(private readonly users: ReadonlyMap<string, BasicUser>) {}

  /** The principal, or undefined for an unknown user or a wrong password (same time, same answer). */
  verify(creds: BasicCredentials): Promise<Principal | undefined> {
    const key = createHmac('sha256', this.cacheKeySecret).update(`${creds.username}:${creds.password}`, 'utf8').digest('base64');
    const hit = this.cache.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    let pending = this.inflight.get(key);
    if (pending === undefined) {
      pending = this.check(key, creds).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async check(key: string, creds: BasicCredentials): Promise<Principal | undefined> {
    const user = this.users.get(creds.username);
    // Unknown users still pay one scrypt, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(creds.password, user?.passwordScrypt ?? DUMMY_SCRYPT);
    if (user === undefined || !ok) return undefined;
    this.cache.set(key, user.principal);
    return user.principal;
  }
}
