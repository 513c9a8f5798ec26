/** Fleet store changes made on behalf of a request: the store being away is a retryable 503. */
import { StoreConflict, StoreUnavailable } from '../control/fleet-store.ts';
import { unavailable, type OsproxyError } from '../http/errors.ts';

export function storeUnavailable(): OsproxyError {
  return unavailable('control_store_unavailable', 'the fleet store cannot be reached to record a new index; retry later', 1);
}

/** Runs a fleet store change; the store being away is a retryable 503 for the client. */
export async function storeCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StoreUnavailable || e instanceof StoreConflict) throw storeUnavailable();
    throw e;
  }
}

