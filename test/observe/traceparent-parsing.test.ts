import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSampled, newSpanId, newTraceId, parseTraceparent } from '../../src/observe/trace-context.ts';

/* W3C Trace Context: what counts as a `traceparent` to continue, and what starts a new trace. */

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('traceparent parsing (W3C Trace Context)', () => {
  it('continues a well-formed version-00 header, sampled or not', () => {
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${SPAN}-01`), { traceId: TRACE, spanId: SPAN, flags: 1 });
    const unsampled = parseTraceparent(`00-${TRACE}-${SPAN}-00`);
    assert.ok(unsampled !== undefined && !isSampled(unsampled));
    assert.ok(isSampled(parseTraceparent(`00-${TRACE}-${SPAN}-03`)!), 'other flag bits leave "sampled" alone');
  });

  it('reads a later version’s first four fields, ignoring what it appends', () => {
    assert.deepEqual(parseTraceparent(`01-${TRACE}-${SPAN}-01-what-comes-next`), { traceId: TRACE, spanId: SPAN, flags: 1 });
  });

  it('starts a new trace for anything malformed', () => {
    for (const bad of [
      undefined,
      '',
      'garbage',
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `00-${'0'.repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `ff-${TRACE}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-01-extra`,
      `00-${TRACE.slice(1)}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-1`,
      `00_${TRACE}_${SPAN}_01`,
      `0x-${TRACE}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-01,00-${TRACE}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-01${'-x'.repeat(300)}`,
    ]) {
      assert.equal(parseTraceparent(bad), undefined, String(bad));
    }
  });

  it('draws ids of the right length, random and never all zero', () => {
    const traces = new Set(Array.from({ length: 100 }, newTraceId));
    const spans = new Set(Array.from({ length: 100 }, newSpanId));
    assert.equal(traces.size, 100);
    assert.equal(spans.size, 100);
    for (const t of traces) assert.match(t, /^(?!0{32})[0-9a-f]{32}$/);
    for (const s of spans) assert.match(s, /^(?!0{16})[0-9a-f]{16}$/);
  });
});
