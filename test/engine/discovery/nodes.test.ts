import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../../src/engine/engine.ts';
import { call } from '../../helpers/http.ts';

interface NodesInfo {
  _nodes: { total: number; successful: number; failed: number };
  cluster_name: string;
  nodes: Record<string, Record<string, unknown> & { http?: { publish_address: string } }>;
}

// GET _nodes as RestNodesInfoAction and NodesInfoResponse answer it, for a one-node cluster.
describe('engine _nodes', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ port: 0, clusterName: 'shape-test' });
  });
  after(() => engine.close());

  it('describes the one node like NodesInfoResponse, with the real HTTP publish address', async () => {
    const res = await call<NodesInfo>(engine.url, 'GET', '/_nodes');
    assert.deepEqual(res.body._nodes, { total: 1, successful: 1, failed: 0 });
    assert.equal(res.body.cluster_name, 'shape-test');
    const [node] = Object.values(res.body.nodes);
    assert.deepEqual(Object.keys(node).slice(0, 7), ['name', 'transport_address', 'host', 'ip', 'version', 'build_type', 'build_hash']);
    assert.deepEqual(node.roles, ['cluster_manager', 'data', 'ingest', 'remote_cluster_client']);
    assert.equal(node.version, '2.17.0');
    assert.equal(node.http?.publish_address, engine.url.replace('http://', ''));
    for (const metric of ['settings', 'os', 'process', 'jvm', 'thread_pool', 'transport', 'http', 'plugins', 'modules', 'ingest']) assert.ok(metric in node, metric);
  });

  it('reads /_nodes/{metrics} as metrics and /_nodes/{id} as node ids', async () => {
    const http = await call<NodesInfo>(engine.url, 'GET', '/_nodes/http');
    const [node] = Object.values(http.body.nodes);
    assert.ok('http' in node && !('os' in node) && !('jvm' in node));
    const sniff = await call<NodesInfo>(engine.url, 'GET', '/_nodes/_all/http,unknown');
    assert.ok('http' in Object.values(sniff.body.nodes)[0]);
    const local = await call<NodesInfo>(engine.url, 'GET', '/_nodes/_local');
    assert.equal(local.body._nodes.total, 1);
    const other = await call<NodesInfo>(engine.url, 'GET', '/_nodes/some-other-node');
    assert.deepEqual([other.body._nodes.total, other.body.nodes], [0, {}]);
    assert.equal((await call(engine.url, 'GET', '/_nodes/stats')).status, 400); // not served, rather than read as a node id
  });
});
