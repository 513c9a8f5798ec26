/**
 * Signed per-request debug headers (SPEC §6): `X-Debug-Directive: {payload_hex}.{hmac_sha256_hex}`
 * where the payload is JSON `{level, exp[, kid]}` (`exp` in Unix seconds; `kid` the first 8 hex
 * digits of the key's SHA-256, so that a header signed with another key is told apart from a
 * tampered one). Verification is constant-time; a header that fails raises nothing.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { OBSERVE_LEVELS, type ObserveLevel } from '../config/observe-schema.ts';

export const DEBUG_HEADER = 'x-debug-directive';

export const HEADER_OUTCOMES = ['accepted', 'malformed', 'tampered', 'wrong_key', 'expired', 'ttl_too_long', 'no_key', 'bad_level'] as const;
export type HeaderOutcome = (typeof HEADER_OUTCOMES)[number];

export interface HeaderVerdict {
  outcome: HeaderOutcome;
  level?: ObserveLevel;
}

const SHAPE = /^([0-9a-f]{2,1024})\.([0-9a-f]{64})$/;

export function keyId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function mac(key: string, payload: Buffer): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/** A header value raising a request to `level` until `expSeconds` (`osproxy directive sign`). */
export function signDebugHeader(key: string, level: ObserveLevel, expSeconds: number): string {
  const payload = Buffer.from(JSON.stringify({ level, exp: expSeconds, kid: keyId(key) }));
  return `${payload.toString('hex')}.${mac(key, payload).toString('hex')}`;
}

function parsePayload(hex: string): { level?: unknown; exp?: unknown; kid?: unknown } | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(hex, 'hex').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies one header value at `nowMs`; `key` undefined ⇒ `no_key` (the header is ignored). */
export function verifyDebugHeader(value: string, key: string | undefined, nowMs: number, maxTtlSeconds: number): HeaderVerdict {
  if (key === undefined) return { outcome: 'no_key' };
  const m = SHAPE.exec(value.trim().toLowerCase());
  if (m === null || m[1].length % 2 !== 0) return { outcome: 'malformed' };
  const payload = parsePayload(m[1]);
  if (payload === undefined) return { outcome: 'malformed' };
  if (payload.kid !== undefined && payload.kid !== keyId(key)) return { outcome: 'wrong_key' };
  if (!timingSafeEqual(mac(key, Buffer.from(m[1], 'hex')), Buffer.from(m[2], 'hex'))) return { outcome: 'tampered' };
  const level = OBSERVE_LEVELS.find((l) => l === payload.level);
  if (level === undefined) return { outcome: 'bad_level' };
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return { outcome: 'malformed' };
  const now = nowMs / 1000;
  if (payload.exp <= now) return { outcome: 'expired' };
  if (payload.exp - now > maxTtlSeconds) return { outcome: 'ttl_too_long' };
  return { outcome: 'accepted', level };
}
