/** A `serve --workers N` worker (the primary is workers.ts). */
import { useClusterMetrics } from '../observe/cluster-metrics.ts';
import { answerPeer } from './admin/admin.ts';
import type { OsproxyConfig } from '../config/schema.ts';
import { startProxy, type RunningProxy } from './proxy-server.ts';
import { shareControlChanges } from './control-sync.ts';
import { reloadOnSighup } from './reconfigure.ts';
import { LISTENING, type ListeningMessage } from './workers.ts';

/**
 * A worker: the proxy as in single-process mode, plus cluster-wide metrics. It reports its
 * URLs to the primary and drains (proxy.close) on SIGTERM/SIGINT, which is how the primary
 * stops it. A startup failure rejects; the caller exits non-zero and the primary gives up.
 */
export async function runWorker(config: OsproxyConfig, reload: () => OsproxyConfig): Promise<void> {
  let proxy: RunningProxy | undefined = undefined;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (proxy === undefined) process.exit(0);
    proxy.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Before this point SIGTERM's default (exit) is right too: nothing is in flight yet.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  proxy = await startProxy(config);
  useClusterMetrics(proxy.services.metrics);
  const services = proxy.services;
  services.peers.join((kind, arg) => answerPeer(services, kind, arg));
  shareControlChanges(proxy.services.control);
  reloadOnSighup(proxy, reload);
  const message: ListeningMessage = { type: LISTENING, urls: proxy.urls };
  process.send?.(message);
}

