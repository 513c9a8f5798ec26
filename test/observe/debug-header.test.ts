import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signDebugHeader, verifyDebugHeader } from '../../src/observe/debug-header.ts';

const KEY = 'k'.repeat(40);
const OTHER = 'o'.repeat(40);
const NOW = Date.parse('2026-12-01T12:00:00Z');
const exp = (s: number): number => Math.floor(NOW / 1000) + s;

describe('signed debug headers', () => {
  it('accepts a header signed with the key, before its expiry', () => {
    assert.deepEqual(verifyDebugHeader(signDebugHeader(KEY, 'rewrite', exp(300)), KEY, NOW, 3600), { outcome: 'accepted', level: 'rewrite' });
  });

  it('tells tampered, wrong-key, expired and over-long headers apart, and raises nothing for them', () => {
    const good = signDebugHeader(KEY, 'timing', exp(300));
    const [payload, mac] = good.split('.');
    const edited = Buffer.from(Buffer.from(payload, 'hex').toString().replace('timing', 'rewrite')).toString('hex');
    const cases: [string, string | undefined, string][] = [
      [`${edited}.${mac}`, KEY, 'tampered'],
      [`${payload}.${mac.slice(0, -1)}${mac.endsWith('0') ? '1' : '0'}`, KEY, 'tampered'],
      [signDebugHeader(OTHER, 'timing', exp(300)), KEY, 'wrong_key'],
      [signDebugHeader(KEY, 'timing', exp(-1)), KEY, 'expired'],
      [signDebugHeader(KEY, 'timing', exp(7200)), KEY, 'ttl_too_long'],
      ['not-a-header', KEY, 'malformed'],
      [`${Buffer.from('[1]').toString('hex')}.${'0'.repeat(64)}`, KEY, 'malformed'],
      [good, undefined, 'no_key'],
    ];
    for (const [header, key, outcome] of cases) {
      const v = verifyDebugHeader(header, key, NOW, 3600);
      assert.equal(v.outcome, outcome, header);
      assert.equal(v.level, undefined, `${outcome} raises nothing`);
    }
  });

  it('refuses a validly signed header naming an unknown level', () => {
    const payload = Buffer.from(JSON.stringify({ level: 'everything', exp: exp(60) }));
    const header = `${payload.toString('hex')}.${createHmac('sha256', KEY).update(payload).digest('hex')}`;
    assert.equal(verifyDebugHeader(header, KEY, NOW, 3600).outcome, 'bad_level');
  });
});
