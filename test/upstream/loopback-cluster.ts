/** An UpstreamCluster in front of a test's own HTTP server on loopback: two retries, a breaker that does not trip. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../src/config/load.ts';
import { UpstreamCluster } from '../../src/upstream/cluster.ts';

export async function loopbackCluster(server: Server): Promise<UpstreamCluster> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = parseConfig({ listeners: [{ host: '127.0.0.1', port: 0 }], clusters: { default: { url, retries: 2, breaker: { failure_threshold: 100, reset_ms: 1000 } } }, control: { store: 'memory' } });
  return new UpstreamCluster('default', config.clusters.default);
}
