import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/core/prom-parts.ts';
import { HEADER_OUTCOMES } from '../../src/observe/debug-header.ts';
import { DirectiveMetrics } from '../../src/observe/directive-metrics.ts';

test('directive metrics: the series exist before anything is counted, and each method counts in its own', async () => {
  const r = new Registry();
  const d = new DirectiveMetrics(r);
  let active = 3;
  d.watchActive(() => active);
  const before = await r.metrics();
  assert.match(before, /^osproxy_directives_active 3$/m);
  assert.match(before, /^osproxy_directive_matches_total 0$/m);
  assert.match(before, /^osproxy_directive_sampled_total 0$/m);
  assert.match(before, /^osproxy_killswitch_refusals_total\{status="503"\} 0$/m);
  for (const o of HEADER_OUTCOMES) assert.match(before, new RegExp(`^osproxy_debug_headers_total\\{outcome="${o}"\\} 0$`, 'm'));

  d.matched();
  d.matched();
  d.sampled();
  d.refused(503);
  d.refused(503);
  d.refused(403);
  d.header('tampered');
  d.header('accepted');
  d.header('accepted');
  active = 4;
  const after = await r.metrics();
  assert.match(after, /^osproxy_directives_active 4$/m, 'read at the scrape');
  assert.match(after, /^osproxy_directive_matches_total 2$/m);
  assert.match(after, /^osproxy_directive_sampled_total 1$/m);
  assert.match(after, /^osproxy_killswitch_refusals_total\{status="503"\} 2$/m);
  assert.match(after, /^osproxy_killswitch_refusals_total\{status="403"\} 1$/m);
  assert.match(after, /^osproxy_debug_headers_total\{outcome="accepted"\} 2$/m);
  assert.match(after, /^osproxy_debug_headers_total\{outcome="tampered"\} 1$/m);
  assert.match(after, /^osproxy_debug_headers_total\{outcome="expired"\} 0$/m);
});
