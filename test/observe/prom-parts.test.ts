import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as prom from 'prom-client';
import { aggregatorRegistry, Counter, Gauge, Registry } from '../../src/core/prom-parts.ts';

const PARTS = fileURLToPath(new URL('../../src/core/prom-parts.ts', import.meta.url));

test('the prom-client parts are the classes prom-client itself exports', () => {
  assert.equal(Registry, prom.Registry);
  assert.equal(Counter, prom.Counter);
  assert.equal(Gauge, prom.Gauge);
  assert.equal(aggregatorRegistry(), prom.AggregatorRegistry);
});

test('a process that loads only the parts renders and aggregates metrics without prom-client\'s index', async () => {
  const script = `
    const { createRequire } = await import('node:module');
    const { Counter, Gauge, Registry, aggregatorRegistry } = await import(${JSON.stringify(PARTS)});
    const registry = new Registry();
    new Counter({ name: 'x_total', help: 'x', labelNames: ['k'], registers: [registry] }).inc({ k: 'a' }, 2);
    new Gauge({ name: 'g', help: 'g', registers: [registry], collect() { this.set(5); } });
    const text = await registry.metrics();
    const cache = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/prom-client/'));
    const before = cache();
    const summed = await aggregatorRegistry().aggregate([await registry.getMetricsAsJSON(), await registry.getMetricsAsJSON()]).metrics();
    console.log(JSON.stringify({ text, summed, index: before.some((k) => k.endsWith('/prom-client/index.js')), cluster: before.some((k) => k.endsWith('/lib/cluster.js')), modules: before.length }));
  `;
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
  );
  const r = JSON.parse(out.trim().split('\n').pop() as string) as { text: string; summed: string; index: boolean; cluster: boolean; modules: number };
  assert.match(r.text, /x_total\{k="a"\} 2/);
  assert.match(r.text, /^g 5$/m);
  assert.match(r.summed, /x_total\{k="a"\} 4/);
  assert.equal(r.index, false, 'prom-client/index.js was not loaded');
  assert.equal(r.cluster, false, 'the aggregation (and node:cluster) is loaded only when asked for');
  assert.ok(r.modules < 15, `${r.modules} prom-client modules loaded`);
});
