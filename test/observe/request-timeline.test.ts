import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RequestTimeline } from '../../src/observe/request-timeline.ts';

/** A timeline whose marks are `ms` after its start. */
function timeline(marks: { authenticated?: number; resolved?: number; firstUpstream?: number; upstreamMs?: number; handled?: number; sent?: number }): RequestTimeline {
  const t = new RequestTimeline();
  const at = (ms: number | undefined): number => (ms === undefined ? 0 : t.started + ms);
  t.authenticated = at(marks.authenticated);
  t.resolved = at(marks.resolved);
  t.firstUpstream = at(marks.firstUpstream);
  t.upstreamMs = marks.upstreamMs ?? 0;
  t.handled = at(marks.handled);
  t.sent = at(marks.sent);
  return t;
}

describe('the stages of a request', () => {
  it('splits a buffered request into auth, resolve, rewrite, upstream, transform, send', () => {
    const d = timeline({ authenticated: 1, resolved: 2, firstUpstream: 4, upstreamMs: 10, handled: 15, sent: 16 }).durations();
    assert.deepEqual(d, { auth: 1, resolve: 1, rewrite: 2, upstream: 10, transform: 1, send: 1 });
  });

  it('shows the upstream of a streamed reply (bulk) inside the send, not nowhere', () => {
    const d = timeline({ authenticated: 1, resolved: 2, handled: 3, firstUpstream: 5, upstreamMs: 20, sent: 30 }).durations();
    assert.deepEqual(d, { auth: 1, resolve: 1, rewrite: 1, upstream: 20, send: 27 });
  });

  it('stops at the stage a refused request reached', () => {
    assert.deepEqual(Object.keys(timeline({ sent: 3 }).durations()), ['auth']);
    assert.deepEqual(Object.keys(timeline({ authenticated: 1, sent: 3 }).durations()), ['auth', 'resolve']);
    assert.deepEqual(Object.keys(timeline({ authenticated: 1, resolved: 2, handled: 3, sent: 4 }).durations()), ['auth', 'resolve', 'rewrite', 'send']);
  });

  it('records an upstream wait at the time it began', () => {
    const t = new RequestTimeline();
    t.addUpstream(0);
    const first = t.firstUpstream;
    t.addUpstream(0);
    assert.equal(t.firstUpstream, first, 'the first wait stays the first');
    assert.ok(first >= t.started);
  });
});
