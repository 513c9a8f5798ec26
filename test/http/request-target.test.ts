import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestTarget } from '../../src/http/request-target.ts';

type Read = { pathname: string; query: [string, string][] } | 'invalid';

function viaUrl(raw: string): Read {
  try {
    const url = new URL(raw, 'http://osproxy');
    return { pathname: url.pathname, query: [...url.searchParams] };
  } catch {
    return 'invalid';
  }
}

function fast(raw: string): Read {
  try {
    const t = requestTarget(raw);
    return { pathname: t.pathname, query: [...t.query] };
  } catch {
    return 'invalid';
  }
}

test('request targets read as the URL parser reads them, plain ones and odd ones', () => {
  const cases = [
    '/',
    '/orders/_doc/1',
    '/orders/_doc/1?routing=a&refresh=true',
    '/logs-*/_search?q=a+b&size=10&sort=%40timestamp:desc',
    '/.kibana/_doc/x',
    '/a/../_osproxy/admin/tenants',
    '/a/./b',
    '/a/%2e%2E/b',
    '/a/.%2e',
    '/a/..',
    '//evil/_search',
    '/a\\b',
    '/a b/_doc/1',
    '/a/_doc/1#frag',
    '/a/_doc/1?x=1#frag',
    '/é/_doc/1',
    '/a/_doc/%C3%A9?q=%C3%A9&r=é',
    '/a/_doc/%zz',
    "/a/_doc/it's?q=it's&w=\"x\"&v=<y>",
    '/a/_doc/{x}?q={y}',
    '/a/_doc/1?',
    '/a/_doc/1??x=1',
    '/a/_doc/1?a=1&a=2&=3&b',
    '*',
    'http://other:9200/x/_doc/1?y=2',
    '/a/_doc/1\t?x=1',
    '/a/_doc/^|`',
    '/\\\\x',
  ];
  for (const raw of cases) assert.deepEqual(fast(raw), viaUrl(raw), raw);
});

test('random request targets agree with the URL parser', () => {
  const alphabet = ['a', 'Z', '0', '/', '.', '..', '%', '%2e', '%2F', '%41', '?', '??', '&', '=', '+', '#', '\\', ' ', '"', "'", '<', '>', '~', '-', '_', '*', ',', ':', '@', '!', '$', ';', '(', ')', '{', '|', '^', '`', 'é', '\u2603', '\x7f'];
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let k = 0; k < 5000; k++) {
    let raw = '/';
    const len = 1 + next(12);
    for (let i = 0; i < len; i++) raw += alphabet[next(alphabet.length)];
    assert.deepEqual(fast(raw), viaUrl(raw), JSON.stringify(raw));
  }
});
