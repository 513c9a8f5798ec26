/**
 * The parts of undici the proxy uses — its connection pool, `request` on it, and its error
 * classes — loaded from their own modules: `import 'undici'` loads all of undici (fetch,
 * WebSocket, EventSource, the cache and mock layers: 111 modules, ~12 MiB more RSS per process)
 * for these. They are the very modules undici's index re-exports; the index also installs the
 * request API on every dispatcher's prototype, which a pool loaded alone lacks, so requests go
 * through {@link poolRequest} (the same function, called on the pool).
 * test/upstream/undici-parts.test.ts checks both, in a process that loads nothing else.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

export const Pool = require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool;
export type Pool = Undici.Pool;
export const errors = require('undici/lib/core/errors.js') as typeof Undici.errors;

type RequestOptions = Parameters<Undici.Pool['request']>[0];
type ResponseData = Awaited<ReturnType<Undici.Pool['request']>>;
const apiRequest = require('undici/lib/api/api-request.js') as (this: Undici.Pool, opts: RequestOptions) => Promise<ResponseData>;

/** `pool.request(opts)`, as undici's index defines it. */
export function poolRequest(pool: Pool, opts: RequestOptions): Promise<ResponseData> {
  return apiRequest.call(pool, opts);
}
