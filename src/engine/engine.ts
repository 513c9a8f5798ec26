import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CursorStore } from './ops/cursors.ts';
import type { EngineContext } from './rest/context.ts';
import { registerBatchRoutes } from './rest/handlers/batch.ts';
import { registerByQueryRoutes } from './rest/handlers/by-query.ts';
import { registerAliasActionRoutes } from './rest/handlers/alias-actions.ts';
import { registerAliasRoutes } from './rest/handlers/aliases.ts';
import { registerCatRoutes } from './rest/handlers/cat.ts';
import { registerClusterRoutes } from './rest/handlers/cluster.ts';
import { registerDocumentRoutes } from './rest/handlers/documents.ts';
import { registerFieldCapsRoutes } from './rest/handlers/field-caps.ts';
import { registerIndexRoutes } from './rest/handlers/indices.ts';
import { registerNodeRoutes } from './rest/handlers/nodes.ts';
import { registerSearchRoutes } from './rest/handlers/search.ts';
import { createEngineServer } from './rest/http-server.ts';
import { Router } from './rest/router.ts';
import { EngineState } from './store/engine-state.ts';

export interface EngineConfig {
  port?: number;
  host?: string;
  dataDir?: string;
  shards?: number;
  clusterName?: string;
}

export interface RunningEngine {
  url: string;
  port: number;
  state: EngineState;
  close(): Promise<void>;
}

/** The routing table: literal paths are registered before `/{index}` patterns that could shadow them. */
export function buildRouter(): Router {
  const router = new Router();
  registerClusterRoutes(router);
  registerCatRoutes(router);
  registerNodeRoutes(router);
  registerFieldCapsRoutes(router);
  registerAliasRoutes(router);
  registerAliasActionRoutes(router);
  registerSearchRoutes(router);
  registerBatchRoutes(router);
  registerByQueryRoutes(router);
  registerDocumentRoutes(router);
  registerIndexRoutes(router);
  return router;
}

/** Refreshes every index whose refresh interval has passed (near-real-time search). */
function startRefresher(state: EngineState): NodeJS.Timeout {
  const timer = setInterval(() => {
    const now = Date.now();
    for (const idx of state.indices.values()) {
      const every = idx.settings.refreshIntervalMs;
      if (every > 0 && now - idx.lastRefresh >= every) idx.refresh();
    }
  }, 100);
  timer.unref();
  return timer;
}

/** Starts the embedded OpenSearch-compatible engine on 127.0.0.1 (port 0 = any free port). */
export async function startEngine(cfg: EngineConfig = {}): Promise<RunningEngine> {
  const state = new EngineState({ dataDir: cfg.dataDir, defaultShards: cfg.shards });
  const ctx: EngineContext = {
    state,
    cursors: new CursorStore(),
    clusterName: cfg.clusterName ?? 'osproxy-engine',
    clusterUuid: randomBytes(16).toString('base64url').slice(0, 22),
    nodeName: 'engine-0',
    nodeId: randomBytes(16).toString('base64url').slice(0, 22),
  };
  const server = createEngineServer(buildRouter(), ctx);
  const refresher = startRefresher(state);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port ?? 0, cfg.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  ctx.httpAddress = `${cfg.host ?? '127.0.0.1'}:${port}`;
  let closed = false;
  return {
    url: `http://${cfg.host ?? '127.0.0.1'}:${port}`,
    port,
    state,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(refresher);
      ctx.cursors.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      state.close();
    },
  };
}
