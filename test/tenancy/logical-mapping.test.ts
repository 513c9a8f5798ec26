import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/core/json.ts';
import { inferNewFields } from '../../src/tenancy/mapping/infer-fields.ts';
import { countFields, mappingJson, parseLogicalMapping, type LogicalMapping } from '../../src/tenancy/mapping/logical-mapping.ts';
import { mergeLogicalMapping } from '../../src/tenancy/mapping/merge-mapping.ts';
import { logicalKey, logicalSource, logicalText, PhysicalNamer } from '../../src/tenancy/mapping/physical-names.ts';

const reason = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('logical mappings: parsed, merged and extended like a fresh index’s', () => {
  it('parses OpenSearch mapping bodies and refuses what a shared index cannot give one tenant', () => {
    const m = parseLogicalMapping({ _doc: { dynamic: 'strict', properties: { when: { type: 'date' }, obj: { properties: { x: { type: 'long' } } } } } });
    assert.equal(m.dynamic, 'strict');
    assert.deepEqual(mappingJson(m), { dynamic: 'strict', properties: { obj: { properties: { x: { type: 'long' } } }, when: { type: 'date' } } });
    assert.match(reason(() => parseLogicalMapping({ properties: { a: { type: 'nope' } } })), /No handler for type \[nope\] declared on field \[a\]/);
    assert.match(reason(() => parseLogicalMapping({ properties: { a: { type: 'text', copy_to: 'b' } } })), /\[copy_to\].*shared placement/);
    assert.match(reason(() => parseLogicalMapping({ dynamic_templates: [] })), /\[dynamic_templates\].*shared placement/);
    assert.match(reason(() => parseLogicalMapping({ colour: 1 })), /Root mapping definition has unsupported parameters/);
  });

  it('merges updates and refuses type changes with OpenSearch’s messages', () => {
    const base = parseLogicalMapping({ properties: { year: { type: 'long' }, obj: { properties: { x: { type: 'long' } } } } });
    const merged = mergeLogicalMapping(base, parseLogicalMapping({ properties: { obj: { properties: { y: { type: 'keyword' } } }, name: { type: 'text' } } }));
    assert.deepEqual(Object.keys(merged.properties).sort(), ['name', 'obj', 'year']);
    assert.deepEqual(Object.keys((merged.properties.obj.properties as object)).sort(), ['x', 'y']);
    assert.equal(reason(() => mergeLogicalMapping(base, parseLogicalMapping({ properties: { year: { type: 'keyword' } } }))), 'mapper [year] cannot be changed from type [long] to [keyword]');
    assert.equal(reason(() => mergeLogicalMapping(base, parseLogicalMapping({ properties: { obj: { type: 'keyword' } } }))), "can't merge a non object mapping [obj] with an object mapping");
    assert.equal(countFields(merged.properties), 5);
  });

  it('infers new fields as dynamic mapping does, and only the new ones', () => {
    const m: LogicalMapping = { properties: { known: { type: 'long' } } };
    const added = inferNewFields({ known: 1, when: '2026-01-01', day: '2026/01/02', n: 2, f: 1.5, b: true, s: 'soon', obj: { x: 1 }, list: [{ y: 'a' }, { z: 3 }], none: null, 'dot.ted': 'v' }, m);
    assert.deepEqual(added?.properties, {
      when: { type: 'date' },
      day: { type: 'date', format: 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis' },
      n: { type: 'long' },
      f: { type: 'float' },
      b: { type: 'boolean' },
      s: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
      obj: { properties: { x: { type: 'long' } } },
      list: { properties: { y: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } }, z: { type: 'long' } } },
      dot: { properties: { ted: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } } },
    });
    assert.equal(inferNewFields({ known: 5 }, m), undefined);
    assert.deepEqual(inferNewFields({ d: '2026-13-01', n: '42' }, { properties: {}, numeric_detection: true })?.properties, {
      d: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
      n: { type: 'long' },
    });
    assert.deepEqual(inferNewFields({ d: '2026-01-01' }, { properties: {}, date_detection: false })?.properties.d.type, 'text');
  });

  it('refuses a new field under dynamic: strict and leaves it out under dynamic: false', () => {
    assert.equal(reason(() => inferNewFields({ x: 1 }, { properties: {}, dynamic: 'strict' })), 'mapping set to strict, dynamic introduction of [x] within [_doc] is not allowed');
    const nested: LogicalMapping = { properties: { obj: { dynamic: 'strict', properties: {} } } };
    assert.equal(reason(() => inferNewFields({ obj: { y: 1 } }, nested)), 'mapping set to strict, dynamic introduction of [y] within [obj] is not allowed');
    assert.equal(inferNewFields({ x: 1 }, { properties: {}, dynamic: false }), undefined);
  });
});

function mappingNode(m: LogicalMapping, path: string): JsonObject {
  let node: JsonObject = { properties: m.properties };
  for (const part of path.split('.')) node = (node.properties as Record<string, JsonObject>)[part];
  return node;
}

describe('physical names keep tenants’ fields apart', () => {
  const mapping = parseLogicalMapping({ properties: { title: { type: 'text', fields: { keyword: { type: 'keyword' } } }, user: { properties: { name: { type: 'keyword' } } } } });
  const acme = new PhysicalNamer('acme');
  const text = { type: 'text' };

  it('names every field after tenant, path and defining parameters — and maps back', () => {
    const name = acme.segment('title', 'title', text);
    assert.match(name, /^title__osx_[a-z2-7]{10}$/);
    assert.equal(acme.segment('title', 'title', { type: 'text' }), name, 'deterministic');
    assert.notEqual(new PhysicalNamer('globex').segment('title', 'title', text), name, 'another tenant, another field');
    assert.notEqual(acme.segment('title', 'title', { type: 'keyword' }), name, 'another type, another field');
    assert.notEqual(acme.segment('title', 'title', { type: 'text', analyzer: 'english' }), name, 'another analyzer, another field');
    assert.notEqual(acme.segment('title', 'name.title', text), name, 'another path, another field');
    assert.equal(acme.segment('title', 'title', { type: 'text', fields: { raw: { type: 'keyword' } }, search_analyzer: 'simple' }), name, 'updatable parameters keep the name');
    assert.equal(logicalKey(name), 'title');
    assert.equal(logicalText(`failed to parse field [${name}] of type [text]`), 'failed to parse field [title] of type [text]');
  });

  it('refuses an update of a defining parameter, as OpenSearch does', () => {
    const current = parseLogicalMapping({ properties: { title: { type: 'text' } } });
    assert.match(reason(() => mergeLogicalMapping(current, parseLogicalMapping({ properties: { title: { type: 'text', analyzer: 'english' } } }))), /Cannot update parameter \[analyzer\] from \[default\] to \[english\]/);
    const merged = mergeLogicalMapping(current, parseLogicalMapping({ properties: { title: { type: 'text', fields: { raw: { type: 'keyword' } } } } }));
    assert.equal(acme.path(merged, 'title'), acme.path(current, 'title'), 'a multi-field added keeps the name');
  });

  it('maps logical paths, multi-fields included; unknown ones are undefined', () => {
    const seg = (name: string, path: string) => acme.segment(name, path, mappingNode(mapping, path));
    assert.equal(acme.path(mapping, 'title'), seg('title', 'title'));
    assert.equal(acme.path(mapping, 'title.keyword'), `${seg('title', 'title')}.keyword`);
    assert.equal(acme.path(mapping, 'user.name'), `${seg('user', 'user')}.${seg('name', 'user.name')}`);
    assert.equal(acme.path(mapping, 'nope'), undefined);
    assert.equal(acme.path(mapping, 'title.nope'), undefined);
  });

  it('renames documents (arrays of objects and dotted keys too) and reads them back unchanged', () => {
    const doc = { title: 'a', user: [{ name: 'x' }, { name: 'y' }], 'user.name': 'z', unmapped: { k: 1 } };
    const physical = acme.document(doc, mapping);
    assert.ok(!('title' in physical) && 'unmapped' in physical);
    assert.deepEqual(logicalSource(physical), doc);
    const props = acme.properties(mapping.properties);
    assert.deepEqual(Object.keys(props).map(logicalKey).sort(), ['title', 'user']);
  });
});
