import type { Logger } from 'pino';
import type { CredentialCache, OperatorAuth } from '../auth/index.ts';
import type { Admission } from '../batch/admission.ts';
import type { OsproxyConfig } from '../config/schema.ts';
import type { ControlPlane } from '../control/control-plane.ts';
import type { InflightBudget } from '../http/body.ts';
import type { BreakglassRings } from '../observe/breakglass.ts';
import type { ExplainRing } from '../observe/explain.ts';
import type { ProxyMetrics } from '../observe/metrics.ts';
import type { RequestSink } from '../observe/request-timeline.ts';
import type { TenancySettings } from '../resolve/request-scope.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';

/** The long-lived parts of a proxy instance, shared by every request. */
export interface Services {
  /** The configuration; the live-changeable parts (log level, limits, admission) are replaced on SIGHUP. */
  readonly config: OsproxyConfig;
  readonly tenancy: TenancySettings;
  readonly clusters: ReadonlyMap<string, UpstreamCluster>;
  /** Tenants, credentials and logical indexes: requests read its snapshot; first writes register indexes. */
  readonly control: ControlPlane;
  readonly operators: OperatorAuth;
  /** Verified bearer credentials of the current control snapshot (emptied whenever it changes). */
  readonly credentials: CredentialCache;
  readonly metrics: ProxyMetrics;
  readonly explain: ExplainRing;
  /** Explain records copied by `ring_buffer` directives (`/_osproxy/admin/breakglass`). */
  readonly breakglass: BreakglassRings;
  /** Exports one span per stage of each finished request (observe.traces); absent when tracing is off. */
  readonly tracer?: RequestSink;
  readonly budget: InflightBudget;
  readonly admission: Admission;
  readonly log: Logger;
  /** One line per admin change, written whatever the log level (unless logging is off). */
  readonly audit: Logger;
}
