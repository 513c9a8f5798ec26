import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/core/prom-parts.ts';
import { DEBUG_HEADER_OUTCOMES, DirectiveMetrics } from '../../src/observe/directive-metrics.ts';

test('directive metrics: every series exists from the start and each method counts in its own', async () => {
  const r = new Registry();
  const d = new DirectiveMetrics(r);
  const before = await r.metrics();
  assert.match(before, /^osproxy_directives_active 0$/m);
  assert.match(before, /^osproxy_directive_matches_total 0$/m);
  assert.match(before, /^osproxy_directive_sampled_total 0$/m);
  assert.match(before, /^# TYPE osproxy_killswitch_refusals_total counter$/m);
  for (const o of DEBUG_HEADER_OUTCOMES) assert.match(before, new RegExp(`^osproxy_debug_headers_total\\{outcome="${o}"\\} 0$`, 'm'));

  let active = 3;
  d.watchActive(() => active);
  d.matched();
  d.matched();
  d.sampled();
  d.refused(503);
  d.refused(503);
  d.refused(429);
  d.header('tampered');
  d.header('accepted');
  d.header('accepted');
  active = 4;
  const after = await r.metrics();
  assert.match(after, /^osproxy_directives_active 4$/m, 'read at the scrape');
  assert.match(after, /^osproxy_directive_matches_total 2$/m);
  assert.match(after, /^osproxy_directive_sampled_total 1$/m);
  assert.match(after, /^osproxy_killswitch_refusals_total\{status="503"\} 2$/m);
  assert.match(after, /^osproxy_killswitch_refusals_total\{status="429"\} 1$/m);
  assert.match(after, /^osproxy_debug_headers_total\{outcome="accepted"\} 2$/m);
  assert.match(after, /^osproxy_debug_headers_total\{outcome="tampered"\} 1$/m);
  assert.match(after, /^osproxy_debug_headers_total\{outcome="expired"\} 0$/m);
});

test('directive metrics: refusal statuses are bounded', async () => {
  const r = new Registry();
  const d = new DirectiveMetrics(r);
  for (let s = 400; s < 500; s++) d.refused(s);
  const lines = (await r.metrics()).split('\n').filter((l) => l.startsWith('osproxy_killswitch_refusals_total{'));
  assert.equal(lines.length, 17, '16 statuses of their own, then other');
  assert.ok(lines.includes('osproxy_killswitch_refusals_total{status="other"} 84'));
});
