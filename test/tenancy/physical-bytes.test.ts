/**
 * The byte-level document pass (physicalDocumentBytes) against the path it short-cuts: JSON.parse,
 * assertNoReservedFields, then the text renamer / epoch splice / the line as it is, and the object
 * renamer as the reference for the content. Whenever the pass answers, the general path must have
 * accepted the line and produced the same bytes; whenever the general path refuses (malformed,
 * reserved key — also escaped), the pass must not answer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_JSON_DEPTH, isObject, type JsonObject } from '../../src/core/json.ts';
import { assertNoReservedFields, reservedNames } from '../../src/tenancy/index.ts';
import { parseLogicalMapping } from '../../src/tenancy/mapping/logical-mapping.ts';
import { PhysicalNamer } from '../../src/tenancy/mapping/physical-names.ts';
import { physicalDocumentBytes, type BytesPlan } from '../../src/tenancy/mapping/physical-bytes.ts';
import { renamedDocumentText, withMembers } from '../../src/tenancy/mapping/physical-text.ts';
import { parseLine } from '../../src/ops/bulk-parse.ts';
import { RESERVED } from './support.ts';
import { seededRandom } from '../stream/support.ts';

const mapping = parseLogicalMapping({
  properties: {
    title: { type: 'text', fields: { keyword: { type: 'keyword' } } },
    n: { type: 'long' },
    where: { type: 'geo_point' },
    user: { properties: { name: { type: 'keyword' }, tags: { type: 'keyword' }, deep: { properties: { x: { type: 'long' } } } } },
    items: { type: 'nested', properties: { sku: { type: 'keyword' }, qty: { type: 'long' } } },
    blob: { type: 'object', enabled: false },
    'é': { type: 'keyword' },
    '123': { type: 'long' },
  },
});
const namer = new PhysicalNamer('acme');
const NAMES = reservedNames(RESERVED);
const TAIL = '"_tenant":"acme","_lindex":"orders","_lid":"7","_epoch":3';
const STAMP = '"_epoch":3';
const TAIL_FIELDS = { _tenant: 'acme', _lindex: 'orders', _lid: '7', _epoch: 3 };

const PLAIN: BytesPlan = { reserved: NAMES };
const STAMPED: BytesPlan = { reserved: NAMES, tail: STAMP };
const SHARED: BytesPlan = { reserved: NAMES, rename: { props: mapping.properties, namer }, tail: TAIL };
const PLANS: [string, BytesPlan][] = [['dedicated', PLAIN], ['dedicated, epoch stamped', STAMPED], ['shared', SHARED]];

type Reference = { refused: string } | { text: string };

/** What the general path answers for a document line (checkedDoc, then physicalLine). */
function reference(text: string, plan: BytesPlan): Reference {
  const doc = parseLine(text);
  if (!isObject(doc)) return { refused: 'malformed_document' };
  try {
    assertNoReservedFields(doc, RESERVED, 'document');
  } catch (e) {
    return { refused: (e as Error).message };
  }
  if (plan.rename !== undefined) return { text: renamedDocumentText(text, plan.rename.props, plan.rename.namer, TAIL) ?? '(object path)' };
  return { text: plan.tail === undefined ? text : withMembers(text, plan.tail as string) };
}

/** The content the object path stores (the reference for what the renamed text means). */
function viaObject(text: string, plan: BytesPlan): JsonObject {
  const doc = JSON.parse(text) as JsonObject;
  if (plan.rename !== undefined) return { ...namer.document(doc, mapping), ...TAIL_FIELDS };
  return plan.tail === undefined ? doc : { ...doc, _epoch: 3 };
}

const PROTOTYPE_KEY = /"(?:constructor|__proto__)"/;

/** Asserts the pass agrees with the general path; returns whether it answered. */
function agrees(text: string, plan: BytesPlan, label: string): boolean {
  const fast = physicalDocumentBytes(Buffer.from(text), plan);
  if (fast === undefined) return false;
  const ref = reference(text, plan);
  assert.ok('text' in ref, `${label}: the pass answered for a line the general path refuses (${JSON.stringify(ref)}): ${text}`);
  assert.equal(fast.toString('utf8'), ref.text, `${label}: ${text}`);
  // The object renamer looks keys up without hasOwn (a `constructor` key inside a disabled object
  // finds Object.prototype's): not a reference for those.
  if (!PROTOTYPE_KEY.test(text)) assert.deepEqual(JSON.parse(fast.toString('utf8')), viaObject(text, plan), `${label}: ${text}`);
  return true;
}


/** Raw key texts (as written between the quotes) and what makes each one special. */
const KEYS: [string, 'mapped' | 'unmapped' | 'reserved' | 'escaped' | 'dotted'][] = [
  ['title', 'mapped'], ['n', 'mapped'], ['where', 'mapped'], ['user', 'mapped'], ['items', 'mapped'], ['blob', 'mapped'], ['é', 'mapped'], ['123', 'mapped'],
  ['other', 'unmapped'], ['_tenantx', 'unmapped'], ['tenant', 'unmapped'], ['__proto__', 'unmapped'], ['constructor', 'unmapped'], ['', 'unmapped'], ['日本', 'unmapped'],
  ['_tenant', 'reserved'], ['_lindex', 'reserved'], ['_lid', 'reserved'], ['_epoch', 'reserved'], ['a._tenant', 'reserved'], ['_lid.keyword', 'reserved'],
  ['\\u005ftenant', 'escaped'], ['_ten\\u0061nt', 'escaped'], ['\\u0074itle', 'escaped'], ['a\\"b', 'escaped'], ['x\\\\', 'escaped'], ['\\u00e9', 'escaped'],
  ['user.name', 'dotted'], ['a.b', 'dotted'],
];
const SUB_KEYS = ['name', 'tags', 'deep', 'x', 'sku', 'qty', 'lat', 'lon', 'other'];
const SPACES = ['', '', '', ' ', '  ', '\t', '\r', '\n', ' \r\n '];
const SCALARS = ['0', '-1', '12.5e-3', '1E+2', '-0.0', 'true', 'false', 'null', '""', '"a \\" b"', '"\\\\"', '"\\u00e9t\\u00e9"', '"日本語"', '"\\n\\t\\/"', '"{[,]}:"'];

class Generator {
  /** Set when the document has a key the pass hands to the general path (by design, not refusal). */
  special = new Set<string>();

  constructor(private readonly rnd: () => number) {}

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rnd() * list.length)];
  }

  private ws(): string {
    return this.pick(SPACES);
  }

  value(depth: number): string {
    const r = this.rnd();
    if (depth > 4 || r < 0.5) return this.pick(SCALARS);
    if (r < 0.75) return this.object(depth + 1, false);
    const n = Math.floor(this.rnd() * 4);
    const items = Array.from({ length: n }, () => `${this.ws()}${this.value(depth + 1)}${this.ws()}`);
    return `[${items.join(',')}${n === 0 ? this.ws() : ''}]`;
  }

  object(depth: number, top: boolean): string {
    const n = Math.floor(this.rnd() * (top ? 6 : 4));
    const members: string[] = [];
    for (let k = 0; k < n; k++) {
      let key: string;
      if (top || this.rnd() < 0.2) {
        const [raw, kind] = this.rnd() < 0.85 ? this.pick(KEYS.filter(([, kd]) => kd === 'mapped')) : this.pick(KEYS);
        key = raw;
        if (kind !== 'mapped') this.special.add(kind);
      } else {
        key = this.pick(SUB_KEYS);
      }
      members.push(`${this.ws()}"${key}"${this.ws()}:${this.ws()}${this.value(depth)}${this.ws()}`);
    }
    return `{${members.join(',')}${n === 0 ? this.ws() : ''}}`;
  }

  document(): string {
    this.special = new Set();
    return `${this.ws()}${this.object(0, true)}${this.ws()}`;
  }
}

describe('a document line from its bytes, against JSON.parse and the renamers', () => {
  it('answers exactly as the general path on thousands of generated documents, and answers for the plain ones', () => {
    const gen = new Generator(seededRandom(13));
    const answered = new Map<string, number>(PLANS.map(([name]) => [name, 0]));
    for (let k = 0; k < 4000; k++) {
      const text = gen.document();
      const special = gen.special;
      for (const [name, plan] of PLANS) {
        const fast = agrees(text, plan, name);
        if (fast) answered.set(name, (answered.get(name) ?? 0) + 1);
        const ref = reference(text, plan);
        if (special.has('reserved') || special.has('escaped')) assert.equal(fast, false, `${name}: ${text}`);
        // A line the general path accepts, with no key the pass leaves to it, is the pass's own.
        else if ('text' in ref && ref.text !== '(object path)' && !(plan.rename !== undefined && special.size > 0)) assert.ok(fast, `${name} did not answer: ${text}`);
      }
    }
    for (const [name, n] of answered) assert.ok(n > 1000, `${name}: only ${n} answered`);
  });

  it('never answers for a line JSON.parse refuses: random byte edits of valid documents', () => {
    const gen = new Generator(seededRandom(7));
    const rnd = seededRandom(99);
    const edits = ['', '"', '\\', ',', ':', '{', '}', '[', ']', ' ', '0', '-', '.', 'e', 't', 'n', 'x', '\u0001', '\u00e9', 'u'];
    let refused = 0;
    for (let k = 0; k < 6000; k++) {
      const text = gen.document();
      const at = Math.floor(rnd() * (text.length + 1));
      const cut = Math.floor(rnd() * 3);
      const edited = text.slice(0, at) + edits[Math.floor(rnd() * edits.length)] + text.slice(at + cut);
      if (parseLine(edited) === undefined) refused++;
      for (const [name, plan] of PLANS) agrees(edited, plan, `${name}, edited`);
    }
    assert.ok(refused > 2000, `only ${refused} edits made the line malformed`);
  });

  it('refuses escaped spellings of reserved names, which only decoding reveals', () => {
    // The planted bug this guards against: comparing the raw key bytes with the reserved names.
    for (const text of ['{"\\u005ftenant":"globex"}', '{"title":"t","_ten\\u0061nt":"globex"}', '{"user":{"\\u005flid":"1"}}', '{"where":[{"a.\\u005fepoch":1}]}', '{"blob":{"\\u005f\\u006cindex":1}}']) {
      const ref = reference(text, PLAIN);
      assert.ok('refused' in ref && ref.refused.includes('reserved'), `the general path refuses ${text}`);
      for (const [name, plan] of PLANS) assert.equal(physicalDocumentBytes(Buffer.from(text), plan), undefined, `${name}: ${text}`);
    }
  });

  it('refuses reserved keys at every depth: under arrays, in dotted segments, inside values kept as they are', () => {
    for (const text of ['{"_tenant":1}', '{"n":1,"_lindex":"x"}', '{"where":{"lat":1,"_lid":2}}', '{"blob":{"a":{"_epoch":0}}}', '{"user":[{"name":"x"},[{"_tenant":1}]]}', '{"x":{"a._tenant":1}}', '{"_tenant.keyword":1}', '{"items":[{"sku":"a"},{"b":{"c":[{"_lid":1}]}}]}']) {
      for (const [name, plan] of PLANS) assert.equal(physicalDocumentBytes(Buffer.from(text), plan), undefined, `${name}: ${text}`);
    }
    // Look-alikes are not reserved.
    for (const text of ['{"_tenantx":1}', '{"a":{"tenant":1,"_lindex_":2,"x._tenan":3}}', '{"t":"_tenant"}']) {
      assert.ok(agrees(text, PLAIN, 'look-alike'), text);
    }
  });

  it('hands malformed lines to the general path, which refuses them as before', () => {
    const lines = [
      '', ' ', '{', '}', '{"a":1', '{"a":1}}', '{"a":1,}', '{"a":1 "b":2}', '{"a" 1}', '{a:1}', "{'a':1}", '{"a":01}', '{"a":1.}', '{"a":.5}',
      '{"a":-}', '{"a":1e}', '{"a":1e+}', '{"a":+1}', '{"a":NaN}', '{"a":Infinity}', '{"a":tru}', '{"a":nul}', '{"a":True}', '{"a":"\u0001"}',
      '{"a":"\\x"}', '{"a":"\\u12G4"}', '{"a":"\\u12"}', '{"a":"abc}', '{"a":[1,]}', '{"a":[,1]}', '{"a":[1 2]}', '[{"a":1}]', '"x"', '1', 'null',
      '{"a":1} x', '{"a":1}{}', '\u00a0{"a":1}', '{"a":1}\u00a0', '\ufeff{"a":1}', '{"a"\u00a0:1}', '{"a":1,"b"}', '{"a":[}', '{"a":{]}', '{"a\u0000":1}',
    ];
    for (const text of lines) {
      for (const [name, plan] of PLANS) assert.equal(physicalDocumentBytes(Buffer.from(text), plan), undefined, `${name}: ${JSON.stringify(text)}`);
      assert.ok(!isObject(parseLine(text)) || text.startsWith('\ufeff'), `the general path refuses ${JSON.stringify(text)}`);
    }
  });

  it('nests as deep as the general path: MAX_JSON_DEPTH levels answered, one more refused', () => {
    const deep = (levels: number): string => `${'{"user":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
    const mixed = (levels: number): string => `{"a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
    for (const make of [deep, mixed]) {
      assert.ok(isObject(parseLine(make(MAX_JSON_DEPTH))));
      assert.ok(physicalDocumentBytes(Buffer.from(make(MAX_JSON_DEPTH)), PLAIN) !== undefined);
      assert.equal(parseLine(make(MAX_JSON_DEPTH + 1)), undefined);
      for (const [, plan] of PLANS) assert.equal(physicalDocumentBytes(Buffer.from(make(MAX_JSON_DEPTH + 1)), plan), undefined);
    }
    assert.equal(physicalDocumentBytes(Buffer.from(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`), PLAIN), undefined);
  });

  it('keeps whitespace, duplicate keys and escaped values as written, and splices into an empty object', () => {
    assert.equal(physicalDocumentBytes(Buffer.from(' { } '), STAMPED)?.toString(), ` { ${STAMP}}`);
    assert.equal(physicalDocumentBytes(Buffer.from('\t{}\r'), SHARED)?.toString(), `\t{${TAIL}}`);
    assert.equal(physicalDocumentBytes(Buffer.from(' {"n" : 1 } \r'), PLAIN)?.toString(), ' {"n" : 1 } \r');
    for (const text of ['{"n":1,"n":2}', '{"title":"\\"}{,","n":[1,{"a":"\\\\"}]}', '{"user":{"name":"a","name":"b"},"user":{"tags":["x"]}}']) {
      for (const [name, plan] of PLANS) assert.ok(agrees(text, plan, name), `${name}: ${text}`);
    }
  });

  it('writes a head before the document and a tail given in pieces, as one buffer', () => {
    const pieces: BytesPlan = { ...SHARED, tail: [Buffer.from('"_tenant":"acme","_lindex":"orders","_lid":'), '"7"', Buffer.from(',"_epoch":3')], head: '{"index":{"_id":"é"}}\n' };
    for (const text of ['{"n":1,"title":"x"}', '{}', ' {"user":{"name":"a"}} ']) {
      assert.equal(physicalDocumentBytes(Buffer.from(text), pieces)?.toString(), `{"index":{"_id":"é"}}\n${renamedDocumentText(text, mapping.properties, namer, TAIL)}`);
      assert.equal(physicalDocumentBytes(Buffer.from(text), { ...PLAIN, head: 'h\n' })?.toString(), `h\n${text}`);
    }
  });

  it('returns a copy: the line it read from may be reused', () => {
    const line = Buffer.from('{"n":1}');
    const out = physicalDocumentBytes(line, PLAIN) as Buffer;
    line.fill(0x20);
    assert.equal(out.toString(), '{"n":1}');
  });

  it('handles documents far larger than its scratch buffer', () => {
    const big = `{"title":"${'x'.repeat(3 * 1024 * 1024)}","user":{"name":"${'é'.repeat(10_000)}"}}`;
    assert.ok(agrees(big, SHARED, 'big'));
    assert.ok(agrees('{"n":1}', SHARED, 'after a big one'));
  });
});
