/** The byte-level action line reader against parseAction (JSON.parse): same action and metadata, or it leaves the line to parseAction. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { quickAction } from '../../src/ops/bulk-action.ts';
import { actionLine, parseAction, ACTIONS, type ParsedAction } from '../../src/ops/bulk-parse.ts';
import type { JsonObject } from '../../src/core/json.ts';
import type { OpContext } from '../../src/ops/context.ts';
import { encodeId, resolveTarget } from '../../src/tenancy/index.ts';

function reference(text: string): ParsedAction | string {
  try {
    return parseAction(text, 3);
  } catch (e) {
    return (e as Error).message;
  }
}

/** Asserts agreement; returns whether the reader answered. */
function agrees(text: string): boolean {
  const quick = quickAction(Buffer.from(text), 3);
  if (quick === undefined) return false;
  const ref = reference(text);
  assert.ok(typeof ref !== 'string', `answered for a line parseAction refuses (${String(ref)}): ${text}`);
  assert.deepEqual(quick, ref, text);
  assert.equal(JSON.stringify(quick.meta), JSON.stringify(ref.meta), `key order: ${text}`);
  assert.equal(Object.getPrototypeOf(quick.meta), Object.prototype);
  return true;
}

describe('_bulk action lines from their bytes', () => {
  it('reads the common lines exactly as parseAction does', () => {
    const lines = [
      '{"index":{"_index":"orders","_id":"1"}}',
      '{"create":{"_id":"x:y","_index":"o"}}',
      '{"delete":{"_index":"orders","_id":17}}',
      '{"update":{"_index":"o","_id":"1","retry_on_conflict":3,"if_seq_no":0,"if_primary_term":1}}',
      ' { "index" : { } } ',
      '{"index":{"_index":"日本","_id":"é","routing":null,"version":-1.5e3,"_source":false}}',
      '{"index":{"_id":"1","_id":"2"}}',
      '{"index":{"2":"b","1":"a","_id":"x"}}',
      '{"index":{"constructor":1,"toString":"x"}}',
      '{"index":{"":""}}',
      '\t{"index":{"_index":"a"}}\r',
    ];
    for (const text of lines) assert.ok(agrees(text), text);
  });

  it('leaves everything else to parseAction', () => {
    const lines = [
      '{"index":{"_id":"a\\"b"}}', '{"ind\\u0065x":{}}', '{"index":{"_source":["a"]}}', '{"index":{"_source":{"includes":["a"]}}}',
      '{"index":{"__proto__":1}}', '{"upsert":{}}', '{"index":{},"create":{}}', '{"index":1}', '{"index":[]}', '[]', '', '{', '{"index":{"_id":"1"}',
      '{"index":{"_id":"1"}}}', '{"index":{"_id":"1",}}', '{"index":{"_id":01}}', '{"index":{"_id":1.}}', '{"index":{"_id":tru}}', '{"index":{"_id":"\u0001"}}',
      '\ufeff{"index":{}}', '{"index":{"_id":"1"}} x', '{"index":{"_id" "1"}}', '{"index" {}}', '{"index":{"_id":+1}}', '{"index":{"_id":NaN}}',
    ];
    for (const text of lines) assert.equal(quickAction(Buffer.from(text), 3), undefined, text);
  });

  it('agrees on random edits of action lines', () => {
    let seed = 5;
    const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const bases = ['{"index":{"_index":"orders","_id":"1"}}', '{"update":{"_id":12,"retry_on_conflict":3,"routing":null}}', '{"delete":{"_index":"a","_id":"b","version":-2.5e1,"x":true}}'];
    const edits = ['', '"', '\\', ',', ':', '{', '}', ' ', '0', '-', '.', 'e', 't', 'x', '\u00e9'];
    let answered = 0;
    for (let k = 0; k < 5000; k++) {
      const base = bases[k % bases.length];
      const at = Math.floor(rnd() * (base.length + 1));
      const text = base.slice(0, at) + edits[Math.floor(rnd() * edits.length)] + base.slice(at + Math.floor(rnd() * 2));
      if (agrees(text)) answered++;
    }
    assert.ok(answered > 500, `answered ${answered}`);
  });
});

describe('_bulk action lines as sent upstream', () => {
  it('are what JSON.stringify of the rewritten metadata gives, byte for byte', () => {
    const ctx = { scope: { tenant: 'acme' } } as unknown as OpContext;
    const targets = [
      resolveTarget('acme', 'orders', { kind: 'shared' }),
      resolveTarget('acme', 'orders', { kind: 'shared', routing: 'none' }),
      resolveTarget('acme', 'logs', { kind: 'index' }),
      resolveTarget('acme', 'logs', { kind: 'index', routing: 'tenant' }),
      resolveTarget('acme', 'événements', { kind: 'cluster', cluster: 'c2' }),
    ];
    const metas: JsonObject[] = [{}, { _index: 'orders' }, { _id: '1' }, { _index: 'o', _id: 1 }, { _id: 'x', _index: 'o' }, { _index: 'o', routing: 'r' }, { routing: 'r', _id: '1' }, { _id: '1', version: 3, version_type: 'external' }, { if_seq_no: 1, _index: 'o', _id: 'q"' }];
    for (const target of targets) {
      for (const meta of metas) {
        for (const action of ACTIONS) {
          const pid = encodeId(target, 'acme', 'i"d\\é');
          const want: JsonObject = { ...meta, _index: target.physicalIndex, _id: pid };
          if (target.placement === 'shared') delete want.routing;
          if (target.routing === 'tenant') want.routing = 'acme';
          assert.equal(actionLine(ctx, meta, action, target, pid), JSON.stringify({ [action]: want }), JSON.stringify([target.placement, target.routing, meta]));
        }
      }
    }
  });
});
