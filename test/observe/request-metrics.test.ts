import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PlainCounter, PlainGauge, PlainHistogram } from '../../src/core/plain-metrics.ts';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED: [string, number][] = [['doc_get', 0.0004], ['doc_get', 0.001], ['doc_get', 0.05], ['search', 7], ['doc_get', 0.2], ['search', 0.0099]];
const COUNTED: [string, string, number][] = [['doc_get', '200', 1], ['doc_get', '404', 1], ['doc_get', '200', 3], ['search', '200', 0]];

/** The same observations into prom-client's own metrics and into the bound-children ones. */
function both(): { reference: Registry; plain: Registry } {
  const reference = new Registry();
  const plain = new Registry();
  const h = new Histogram({ name: 'x_seconds', help: 'h', labelNames: ['endpoint'], buckets: BUCKETS, registers: [reference] });
  const c = new Counter({ name: 'x_total', help: 'c', labelNames: ['endpoint', 'status'], registers: [reference] });
  const g = new Gauge({ name: 'x_inflight', help: 'g', registers: [reference] });
  const ph = new PlainHistogram('x_seconds', 'h', ['endpoint'], BUCKETS, plain);
  const pc = new PlainCounter('x_total', 'c', ['endpoint', 'status'], plain);
  const pg = new PlainGauge('x_inflight', 'g', plain);
  for (const [endpoint, v] of OBSERVED) {
    h.observe({ endpoint }, v);
    ph.child(endpoint).observe(v);
  }
  for (const [endpoint, status, n] of COUNTED) {
    c.inc({ endpoint, status }, n);
    pc.child(endpoint, status).inc(n);
  }
  g.inc();
  g.inc();
  g.dec();
  pg.inc();
  pg.inc();
  pg.dec();
  return { reference, plain };
}

test('bound-children metrics render the text exposition exactly as prom-client\'s own', async () => {
  const { reference, plain } = both();
  const text = await plain.metrics();
  assert.equal(text, await reference.metrics());
  assert.match(text, /x_seconds_bucket\{le="0.01",endpoint="doc_get"\} 2/);
  assert.match(text, /x_seconds_bucket\{le="\+Inf",endpoint="search"\} 2/);
  assert.match(text, /x_total\{endpoint="doc_get",status="200"\} 4/);
});

test('bound-children metrics give prom-client\'s JSON and aggregate across workers like it', async () => {
  const { reference, plain } = both();
  assert.deepEqual(await plain.getMetricsAsJSON(), await reference.getMetricsAsJSON());
  const twice = async (r: Registry): Promise<string> => AggregatorRegistry.aggregate([await r.getMetricsAsJSON(), await r.getMetricsAsJSON()]).metrics();
  const summed = await twice(plain);
  assert.equal(summed, await twice(reference));
  assert.match(summed, /x_total\{endpoint="doc_get",status="200"\} 8/);
  assert.match(summed, /x_inflight 2/);
});

test('a bound child is the same series on every use, and a new label set is a new series', async () => {
  const r = new Registry();
  const c = new PlainCounter('y_total', 'c', ['endpoint'], r);
  assert.equal(c.child('a'), c.child('a'));
  assert.notEqual(c.child('a'), c.child('b'));
  c.child('a').inc();
  c.child('a').inc(2);
  assert.match(await r.metrics(), /y_total\{endpoint="a"\} 3\ny_total\{endpoint="b"\} 0/);
  const h = new PlainHistogram('z_seconds', 'h', ['endpoint'], BUCKETS, r);
  h.child('a').observe(Number.NaN);
  assert.match(await r.metrics(), /z_seconds_count\{endpoint="a"\} 0/, 'a value that is not a number is not counted');
});
