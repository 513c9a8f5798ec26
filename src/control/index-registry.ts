/**
 * The registry of each tenant's logical indexes (SPEC §5.2): created by `PUT /{index}` or by the
 * first write, removed by `DELETE /{index}`. Index patterns and `/_search` resolve against it.
 * In-memory for a single instance; the fleet store backs it for a fleet.
 */
export class IndexRegistry {
  private readonly byTenant = new Map<string, Map<string, { createdAt: number }>>();

  list(tenant: string): string[] {
    return [...(this.byTenant.get(tenant)?.keys() ?? [])].sort();
  }

  has(tenant: string, lindex: string): boolean {
    return this.byTenant.get(tenant)?.has(lindex) ?? false;
  }

  /** Registers a logical index; false when it already existed. */
  register(tenant: string, lindex: string): boolean {
    let indices = this.byTenant.get(tenant);
    if (indices === undefined) this.byTenant.set(tenant, (indices = new Map()));
    if (indices.has(lindex)) return false;
    indices.set(lindex, { createdAt: Date.now() });
    return true;
  }

  unregister(tenant: string, lindex: string): boolean {
    return this.byTenant.get(tenant)?.delete(lindex) ?? false;
  }

  createdAt(tenant: string, lindex: string): number | undefined {
    return this.byTenant.get(tenant)?.get(lindex)?.createdAt;
  }
}
