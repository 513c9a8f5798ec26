/**
 * Sealed cursor ids (scroll and PIT): the upstream id travels inside a payload that also names the
 * cluster, the tenant and the logical/physical indexes, authenticated with HMAC-SHA256.
 * Envelope: base64url(JSON payload) + '.' + base64url(mac). The payload is readable (base64 JSON)
 * but cannot be forged or moved to another tenant without the key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

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

/** Cursor ids far beyond any real upstream id are refused before any work. */
const MAX_SEALED_LENGTH = 64 * 1024;

function mac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function sealCursor(key: Buffer, payload: CursorPayload): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
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

/** The payload of a sealed id, or undefined when it is malformed or its MAC does not verify. */
export function unsealCursor(key: Buffer, sealed: string): CursorPayload | undefined {
  if (sealed.length > MAX_SEALED_LENGTH) return undefined;
  const dot = sealed.indexOf('.');
  if (dot <= 0 || dot !== sealed.lastIndexOf('.')) return undefined;
  const body = sealed.slice(0, dot);
  const given = Buffer.from(sealed.slice(dot + 1), 'base64url');
  const expected = mac(key, body);
  // Canonical encoding only: a re-encoded MAC with different padding bits is not the same id.
  if (given.length !== expected.length || given.toString('base64url') !== sealed.slice(dot + 1)) return undefined;
  if (!timingSafeEqual(given, expected)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
    return isPayload(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}
