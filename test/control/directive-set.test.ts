import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DirectiveDocSchema, type DirectiveDoc } from '../../src/control/directive-doc.ts';
import { DirectiveSet, sampleSlot, type DirectiveEntry, type RequestFacts } from '../../src/control/directive-set.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');

function entry(id: string, d: Partial<DirectiveDoc>, expiresMs = NOW + 60_000): DirectiveEntry {
  const doc = DirectiveDocSchema.parse({ level: 'timing', expires_at: new Date(expiresMs).toISOString(), id, version: 1, published_at: NOW, published_by: 'sre', ...d });
  return { id, doc, expiresMs, seqNo: 1, primaryTerm: 1, updatedAt: NOW };
}

function set(...entries: DirectiveEntry[]): DirectiveSet {
  return new DirectiveSet(new Map(entries.map((e) => [e.id, e])));
}

const ACME: RequestFacts = { tenant: 'acme', principal: 'acme/app', endpoint: 'search', indices: ['orders'] };

describe('directive evaluation', () => {
  it('matches on every key a directive names, and on nothing else', () => {
    const s = set(
      entry('t', { match: { tenant: 'acme' } }),
      entry('ti', { match: { tenant: 'acme', index: 'items' } }),
      entry('p', { match: { principal: 'globex/app' } }),
      entry('e', { match: { endpoint: 'bulk' } }),
      entry('i', { match: { index: 'orders' }, level: 'rewrite' }),
    );
    const m = s.evaluate(ACME, NOW, 0);
    assert.equal(m?.matched, 2, 'the tenant directive and the index directive');
    assert.equal(m?.level, 'rewrite', 'the highest level wins');
    assert.equal(s.evaluate({ ...ACME, tenant: 'globex', principal: 'globex/app', indices: ['x'] }, NOW, 0)?.matched, 1);
    assert.equal(s.evaluate({ tenant: 'initech', principal: 'initech/app', endpoint: 'doc_get', indices: [] }, NOW, 0), undefined);
    assert.equal(s.evaluate({ ...ACME, indices: ['orders', 'items'] }, NOW, 0)?.matched, 3, 'any of the request indices');
  });

  it('ignores a directive at and after its expiry', () => {
    const s = set(entry('t', { match: { tenant: 'acme' } }, NOW + 1000));
    assert.equal(s.evaluate(ACME, NOW + 999, 0)?.level, 'timing');
    assert.equal(s.evaluate(ACME, NOW + 1000, 0), undefined);
    assert.equal(s.active(NOW + 1000).length, 0);
  });

  it('samples by request id, but refuses every matching request whatever the sample', () => {
    const s = set(entry('k', { match: { tenant: 'acme' }, sample_per_mille: 0, refuse: { status: 503 } }));
    const m = s.evaluate(ACME, NOW, 999);
    assert.equal(m?.sampled, 0);
    assert.equal(m?.level, 'off', 'not sampled: the level is not raised');
    assert.equal(m?.refuse?.status, 503);
    const half = set(entry('h', { match: { tenant: 'acme' }, sample_per_mille: 500 }));
    let sampled = 0;
    for (let i = 0; i < 4000; i++) sampled += half.evaluate(ACME, NOW, sampleSlot(`req-${i}`))?.sampled ?? 0;
    assert.ok(sampled > 1700 && sampled < 2300, `about half sampled: ${sampled} of 4000`);
    assert.equal(sampleSlot('same-id'), sampleSlot('same-id'), 'the same request samples alike everywhere');
  });

  it('costs about the same with 1,000 directives none of which match as with one (no scan)', () => {
    const many = set(...Array.from({ length: 1000 }, (_, i) => entry(`d${i}`, { match: { tenant: `tenant-${i}` } })));
    const one = set(entry('d', { match: { tenant: 'tenant-x' } }));
    const time = (s: DirectiveSet): number => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 200_000; i++) s.evaluate(ACME, NOW, i % 1000);
      return Number(process.hrtime.bigint() - started);
    };
    time(many);
    time(one);
    const ratios: number[] = [];
    for (let r = 0; r < 5; r++) ratios.push(time(many) / time(one));
    ratios.sort((a, b) => a - b);
    assert.ok(ratios[2] < 3, `1,000 directives cost ${ratios[2].toFixed(2)}× one directive (a scan would be hundreds of times)`);
  });
});
