import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthConfigError } from './credentials.ts';
import { AuthError, invalidCredentials, missingCredentials, OPERATOR_WWW_AUTHENTICATE } from './errors.ts';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;


export interface Operator {
  name: string;
}

interface Entry {
  name: string;
  digest: Buffer;
}

/**
 * Checks `Authorization: Bearer <operator token>`. Every configured digest is compared with
 * timingSafeEqual and there is no early exit, so timing reveals neither which operator nor how
 * close a guess came. (TLS-unless-loopback is the server's check.)
 */
export class OperatorAuth {
  private readonly entries: readonly Entry[];

  constructor(operators: readonly { name: string; token_sha256: string }[]) {
    this.entries = operators.map((o, i) => {
      if (!SHA256_HEX.test(o.token_sha256)) throw new AuthConfigError(`operators[${i}]: token_sha256 must be 64 hex digits`);
      return { name: o.name, digest: Buffer.from(o.token_sha256, 'hex') };
    });
  }

  check(headers: IncomingHttpHeaders): Operator {
    if (this.entries.length === 0) throw new AuthError(403, 'admin_disabled', 'no operator credentials are configured');
    const token = bearerOf(headers.authorization);
    const digest = createHash('sha256').update(token, 'utf8').digest();
    let match: Entry | undefined;
    for (const e of this.entries) {
      if (timingSafeEqual(digest, e.digest) && match === undefined) match = e;
    }
    if (match === undefined) throw invalidCredentials('invalid operator credentials', OPERATOR_WWW_AUTHENTICATE);
    return { name: match.name };
  }
}

function bearerOf(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') throw missingCredentials(OPERATOR_WWW_AUTHENTICATE);
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (m === null) throw invalidCredentials('the admin API takes operator Bearer tokens only', OPERATOR_WWW_AUTHENTICATE);
  return m[1];
}
