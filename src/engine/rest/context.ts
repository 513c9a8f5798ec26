import type { EngineState } from '../store/engine-state.ts';
import type { CursorStore } from '../ops/cursors.ts';

/** What every handler may use: the indexes, open cursors, and node identity. */
export interface EngineContext {
  state: EngineState;
  cursors: CursorStore;
  clusterName: string;
  clusterUuid: string;
  nodeName: string;
  nodeId: string;
  /** `host:port` the HTTP server listens on, once it does (the node's http.publish_address). */
  httpAddress?: string;
}
