/** Value of the tenant label for tenants beyond the labelled ones (SPEC §6: top N + other). */
export const OTHER_TENANT = 'other';

/**
 * Bounded tenant-label cardinality: the first `limit` distinct tenants seen keep their own label,
 * every later one is reported as `other`.
 */
export class TenantLabels {
  private readonly labelled = new Set<string>();

  constructor(private readonly limit: number) {}

  of(tenant: string): string {
    if (this.labelled.has(tenant)) return tenant;
    if (this.labelled.size < this.limit && tenant !== OTHER_TENANT) {
      this.labelled.add(tenant);
      return tenant;
    }
    return OTHER_TENANT;
  }
}
