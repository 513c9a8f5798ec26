import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchDoc, Corpus } from '../../src/bench/corpus.ts';
import { logicalSource, PHYSICAL_MARK } from '../../src/tenancy/mapping/physical-names.ts';
import { buildWorkload } from '../../src/bench/workloads.ts';
import type { JsonObject } from '../../src/core/json.ts';

test('the corpus\'s physical documents carry the tenant\'s physical field names and the reserved fields', () => {
  const corpus = new Corpus(3, 256);
  const stored = JSON.parse(corpus.physical[2]) as Record<string, unknown>;
  const { _tenant, _lindex, _lid, _epoch, ...fields } = stored;
  assert.deepEqual([_tenant, _lindex, _lid, _epoch], ['bench', 'bench-docs', '2', 0]);
  assert.ok(Object.keys(fields).every((k) => k.includes(PHYSICAL_MARK)), Object.keys(fields).join(', '));
  assert.deepEqual(logicalSource(fields as JsonObject), benchDoc(2, 256), 'the names map back to the tenant\'s document');
});

test('the direct search asks for the physical field, as the proxy would', () => {
  const corpus = new Corpus(3, 256);
  const bodyField = Object.keys(JSON.parse(corpus.physical[0]) as object).find((k) => k.startsWith(`body${PHYSICAL_MARK}`));
  assert.ok(bodyField !== undefined);
  const direct = buildWorkload('search', corpus, 1).direct(0);
  assert.ok(direct.body?.includes(JSON.stringify(bodyField)), direct.body);
  assert.ok(!direct.body?.includes('"body"'), 'no logical field name left');
});
