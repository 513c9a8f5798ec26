/**
 * Sealed cursor ids (scroll and PIT): the upstream id travels inside a payload that also names the
 * cluster, the tenant and the logical/physical indexes, encrypted and authenticated with
 * AES-256-GCM. Envelope: base64url(version ‖ nonce ‖ ciphertext ‖ tag). The id reveals nothing
 * (no tenant, index, cluster or upstream id can be read from it) and cannot be forged, altered or
 * moved to another tenant without the key.
 *
 * Key rotation: ids are sealed with the current key and unsealed with the current key or any of
 * the previous ones (kept for a grace period: the longest keep-alive of a cursor, 24 h at most).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export type CursorKind = 'scroll' | 'pit';

export interface CursorPayload {
  v: 1;
  k: CursorKind;
  /** Cluster id the upstream cursor lives on. */
  c: string;
  /** Tenant that opened it. */
  t: string;
  /** Logical indexes (to rebuild the targets). */
  l: string[];
  /** Physical indexes at the time it was opened. */
  p: string[];
  /** The upstream cursor id. */
  id: string;
}

/** The keys a proxy seals with (`current`) and also accepts (`previous`), as configured. */
export interface CursorKeys {
  current: Buffer;
  previous: readonly Buffer[];
}

/** Cursor ids far beyond any real upstream id are refused before any work. */
const MAX_SEALED_LENGTH = 64 * 1024;
/** The envelope's first byte: the sealing scheme (2 = AES-256-GCM with an HKDF-derived key). */
const VERSION = 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Binds the ciphertext to its purpose: the same key material sealing something else cannot pass as a cursor. */
const AAD = Buffer.from('osproxy cursor v2');

/** The AES key for a configured key (any length ≥ 32 bytes): HKDF-SHA256, so the configured bytes are never used raw. */
const derived = new WeakMap<Buffer, Buffer>();
function aesKey(key: Buffer): Buffer {
  let k = derived.get(key);
  if (k === undefined) derived.set(key, (k = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'osproxy cursor seal', 32))));
  return k;
}

export function sealCursor(key: Buffer, payload: CursorPayload): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', aesKey(key), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, sealed, cipher.getAuthTag()]).toString('base64url');
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function isPayload(v: unknown): v is CursorPayload {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = v as Record<string, unknown>;
  return p.v === 1 && (p.k === 'scroll' || p.k === 'pit') && typeof p.c === 'string' && typeof p.t === 'string'
    && isStringArray(p.l) && isStringArray(p.p) && typeof p.id === 'string';
}

function open(key: Buffer, envelope: Buffer): Buffer | undefined {
  const nonce = envelope.subarray(1, 1 + NONCE_BYTES);
  const tag = envelope.subarray(envelope.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', aesKey(key), nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(AAD);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(envelope.subarray(1 + NONCE_BYTES, envelope.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined; // the tag does not verify under this key
  }
}

/** An opened id: its payload, and whether it was sealed with a previous key (then it should be sealed afresh). */
export interface Unsealed {
  payload: CursorPayload;
  previousKey: boolean;
}

/** The payload of a sealed id, or undefined when it is malformed or does not authenticate under any of the keys. */
export function unsealCursor(keys: CursorKeys, sealed: string): Unsealed | undefined {
  if (sealed.length > MAX_SEALED_LENGTH || !/^[A-Za-z0-9_-]+$/.test(sealed)) return undefined;
  const envelope = Buffer.from(sealed, 'base64url');
  // Canonical encoding only: a re-encoding with different padding bits is not the same id.
  if (envelope.toString('base64url') !== sealed) return undefined;
  if (envelope.length < 1 + NONCE_BYTES + TAG_BYTES + 1 || envelope[0] !== VERSION) return undefined;
  const all = [keys.current, ...keys.previous];
  for (let i = 0; i < all.length; i++) {
    const plain = open(all[i], envelope);
    if (plain === undefined) continue;
    try {
      const payload = JSON.parse(plain.toString('utf8')) as unknown;
      return isPayload(payload) ? { payload, previousKey: i > 0 } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
