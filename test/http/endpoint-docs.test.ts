import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classify, WHERE_LISTED } from '../../src/http/classify.ts';
import { ENDPOINTS, ENDPOINT_NAMES } from '../../src/http/endpoints.ts';
import { OsproxyError } from '../../src/http/errors.ts';

/** The README's "Endpoints served to tenants" section: the list an `unsupported_endpoint` error points to. */
function readmeSection(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## Endpoints served to tenants\n');
  assert.ok(start >= 0, 'the README has the section the error names');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** `| name | routes | role |` rows → name → { routes, role }. */
function rows(section: string): Map<string, { routes: string[]; role: string }> {
  const out = new Map<string, { routes: string[]; role: string }>();
  for (const line of section.split('\n')) {
    const m = /^\| `([a-z_]+)` \| (.+) \| (read|write|manage) \|$/.exec(line);
    if (m !== null) out.set(m[1], { routes: [...m[2].matchAll(/`([^`]+)`/g)].map((r) => r[1]), role: m[3] });
  }
  return out;
}

describe('the README lists exactly the endpoint table', () => {
  it('has one row per endpoint, with its routes and role', () => {
    const listed = rows(readmeSection());
    assert.deepEqual([...listed.keys()].sort(), [...ENDPOINT_NAMES].sort());
    for (const name of ENDPOINT_NAMES) {
      const facts = ENDPOINTS[name];
      const routes = facts.routes.map(([methods, pattern]) => `${methods.join('/')} ${pattern}`);
      assert.deepEqual(listed.get(name)?.routes, routes, name);
      assert.equal(listed.get(name)?.role, facts.access, name);
    }
  });

  it('an unsupported endpoint’s error names the request and where the list is', () => {
    let caught: unknown;
    try {
      classify('GET', '/_cluster/state');
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof OsproxyError);
    assert.equal(caught.code, 'unsupported_endpoint');
    assert.equal(caught.reason, `osproxy does not serve the endpoint [GET /_cluster/state] for tenants; ${WHERE_LISTED}`);
    assert.match(WHERE_LISTED, /README, section "Endpoints served to tenants"/);
  });
});
