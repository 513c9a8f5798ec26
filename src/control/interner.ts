/**
 * Sharing equal values between the documents of a snapshot. JSON.parse makes a new string for
 * every occurrence of a tenant id, index name or role and a new object for every placement; with
 * tens of thousands of documents one shared copy of each keeps the snapshot a few KiB per tenant.
 */
import type { PlacementConfig, TenantConfig } from '../config/tenant-schema.ts';
import type { IndexDoc, TenantDoc } from './documents.ts';

export class Interner {
  private readonly strings = new Map<string, string>();
  private readonly placements = new Map<string, PlacementConfig>();
  private readonly roleLists = new Map<string, TenantConfig['principals'][number]['roles']>();

  string(s: string): string {
    const seen = this.strings.get(s);
    if (seen !== undefined) return seen;
    this.strings.set(s, s);
    return s;
  }

  placement(p: PlacementConfig): PlacementConfig {
    const key = JSON.stringify(p);
    let seen = this.placements.get(key);
    if (seen === undefined) this.placements.set(key, (seen = Object.freeze({ ...p })));
    return seen;
  }

  tenant(doc: TenantDoc): TenantDoc {
    const indices: Record<string, PlacementConfig> = {};
    for (const [name, p] of Object.entries(doc.indices)) indices[this.string(name)] = this.placement(p);
    const principals = doc.principals.map((p) => {
      const key = p.roles.join(',');
      let roles = this.roleLists.get(key);
      if (roles === undefined) this.roleLists.set(key, (roles = p.roles.map((r) => this.string(r) as typeof r)));
      return { ...p, roles };
    });
    // A fixed-shape literal (a spread of the parsed object can leave it in V8's slower, bigger dictionary mode).
    const out: TenantDoc = { placement: this.placement(doc.placement), indices, principals, state: doc.state, version: doc.version, created_at: doc.created_at };
    if (doc.admission !== undefined) out.admission = doc.admission;
    return out;
  }

  index(doc: IndexDoc): IndexDoc {
    return { ...doc, tenant: this.string(doc.tenant), name: this.string(doc.name), placement: this.placement(doc.placement) };
  }
}
