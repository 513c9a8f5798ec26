import type { Logger } from 'pino';
import type { Authenticator, OperatorAuth } from '../auth/index.ts';
import type { Admission } from '../batch/admission.ts';
import type { OsproxyConfig } from '../config/schema.ts';
import type { IndexRegistry } from '../control/index-registry.ts';
import type { ControlSnapshot } from '../control/snapshot.ts';
import type { InflightBudget } from '../http/body.ts';
import type { ExplainRing } from '../observe/explain.ts';
import type { ProxyMetrics } from '../observe/metrics.ts';
import type { TenancySettings } from '../resolve/request-scope.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';

/** The long-lived parts of a proxy instance, shared by every request. */
export interface Services {
  readonly config: OsproxyConfig;
  readonly tenancy: TenancySettings;
  readonly clusters: ReadonlyMap<string, UpstreamCluster>;
  /** Where logical indexes are registered (writes); requests read the snapshot. */
  readonly registry: IndexRegistry;
  readonly snapshot: () => ControlSnapshot;
  readonly auth: Authenticator;
  readonly operators: OperatorAuth;
  readonly metrics: ProxyMetrics;
  readonly explain: ExplainRing;
  readonly budget: InflightBudget;
  readonly admission: Admission;
  readonly log: Logger;
}
