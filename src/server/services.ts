import type { Logger } from 'pino';
import type { Authenticator, OperatorAuth } from '../auth/index.ts';
import type { Admission } from '../batch/admission.ts';
import type { IndexRegistry } from '../control/index-registry.ts';
import type { ExplainRing } from '../observe/explain.ts';
import type { ProxyMetrics } from '../observe/metrics.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { OsproxyConfig } from './config.ts';
import type { InflightBudget } from './read-body.ts';

/** The long-lived parts of a proxy instance, shared by every request. */
export interface Services {
  readonly config: OsproxyConfig;
  readonly clusters: ReadonlyMap<string, UpstreamCluster>;
  readonly registry: IndexRegistry;
  readonly auth: Authenticator;
  readonly operators: OperatorAuth;
  readonly metrics: ProxyMetrics;
  readonly explain: ExplainRing;
  readonly budget: InflightBudget;
  readonly admission: Admission;
  readonly log: Logger;
}
