import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, type RunningEngine } from '../../src/engine/engine.ts';
import { formatChapter, runStories } from '../../src/compat/index.ts';

/** Chapters the embedded engine cannot pass, with the reason (mirrored in the README's table). */
export const ENGINE_KNOWN_GAPS: Record<string, string> = {};

describe('shared OpenSearch API stories against a fresh engine', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ port: 0 });
  });
  after(() => engine.close());

  it('passes every chapter that is not listed as a known gap', async () => {
    const result = await runStories({ baseUrl: engine.url, skip: ENGINE_KNOWN_GAPS });
    const failures = result.chapters.filter((c) => c.status === 'fail').map(formatChapter);
    assert.deepEqual(failures, []);
    assert.ok(result.totals.passed >= 74, `only ${result.totals.passed} chapters passed`);
  });
});
