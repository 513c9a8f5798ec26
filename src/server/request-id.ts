import { randomBytes } from 'node:crypto';

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** A random per-process prefix plus a counter: unique across a fleet without a random draw per request. */
const PREFIX = randomBytes(6).toString('base64url');
let counter = 0;

/** Keeps a sane client-supplied x-request-id, otherwise makes one (20 chars, base64url-safe). */
export function requestIdFor(header: string | string[] | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  if (v !== undefined && CLIENT_ID.test(v)) return v;
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return PREFIX + counter.toString(36).padStart(12, '0');
}
