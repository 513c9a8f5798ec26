import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes as `scrypt$N$r$p$salt_b64$hash_b64` (standard base64). New hashes use
 * N=16384, r=8, p=1 (~16 MiB, tens of ms), a 16-byte salt and a 32-byte key.
 */
const DEFAULTS = { N: 16384, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse parameters that would need more than this much memory (a typo in config must not OOM us). */
const MAX_MEMORY = 256 * 1024 * 1024;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function deriveKey(password: string, salt: Buffer, keyLen: number, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; leave headroom so Node's default maxmem (32 MiB) is not the limit.
  const maxmem = 2 * 128 * cost.N * cost.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLen, { ...cost, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

function positiveInt(s: string, max: number): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= max ? n : undefined;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses and sanity-checks an encoded hash; undefined when malformed. */
export function parseScrypt(encoded: string): ScryptParams | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const N = positiveInt(parts[1], 2 ** 24);
  const r = positiveInt(parts[2], 64);
  const p = positiveInt(parts[3], 16);
  if (N === undefined || r === undefined || p === undefined || !isPowerOfTwo(N)) return undefined;
  if (128 * N * r > MAX_MEMORY) return undefined;
  if (!B64.test(parts[4]) || !B64.test(parts[5])) return undefined;
  const salt = Buffer.from(parts[4], 'base64');
  const hash = Buffer.from(parts[5], 'base64');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { N, r, p, salt, hash };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_BYTES, DEFAULTS);
  return ['scrypt', DEFAULTS.N, DEFAULTS.r, DEFAULTS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Constant-time comparison of the derived key; a malformed encoding simply does not verify. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const params = parseScrypt(encoded);
  if (params === undefined) return false;
  const key = await deriveKey(password, params.salt, params.hash.length, params);
  return timingSafeEqual(key, params.hash);
}

/**
 * A well-formed hash of nothing anyone knows, with the default cost: verified against when the
 * username is unknown, so that unknown users and wrong passwords take the same time.
 */
export const DUMMY_SCRYPT = 'scrypt$16384$8$1$b3Nwcm94eS1kdW1teS1zYWx0$' + Buffer.alloc(KEY_BYTES, 0x5a).toString('base64');
