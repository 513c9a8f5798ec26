import { randomBytes } from 'node:crypto';

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a sane client-supplied x-request-id, otherwise makes one (20 chars, base64url). */
export function requestIdFor(header: string | string[] | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  return v !== undefined && CLIENT_ID.test(v) ? v : randomBytes(15).toString('base64url');
}
