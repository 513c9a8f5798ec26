import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * SPEC §3: a request flows one way and each floor imports only from floors below it; `server/`
 * is the top of the proxy and nothing but the CLI imports it; one endpoint module never imports
 * another. The embedded engine imports nothing from the proxy.
 */

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Floors, bottom first. Folders on one floor may not import each other. */
const FLOORS: readonly (readonly string[])[] = [
  ['core'],
  ['config'],
  ['http'],
  ['stream', 'tenancy', 'auth', 'upstream'],
  ['observe', 'batch', 'control'],
  ['resolve'],
  ['ops'],
  ['migrate'],
  ['server'],
  ['build'],
  ['bench', 'compat'],
  // The chaos harness reuses the bench's processes, histograms, progress bar and chart rendering.
  ['chaos'],
  ['cli'],
];

type Graph = ReadonlyMap<string, readonly string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g;

/** src-relative file → the src-relative files it imports (static and dynamic, relative paths only). */
function importGraph(): Graph {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((m) => relative(SRC, resolve(dirname(file), m[1])));
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

const folderOf = (file: string): string => file.split('/')[0];
const floorOf = (folder: string): number => FLOORS.findIndex((f) => f.includes(folder));

/** Every import that goes sideways or up a floor, or leaves the engine, as "from → to". */
function layeringViolations(graph: Graph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const source = folderOf(from);
    for (const to of targets) {
      const target = folderOf(to);
      if (source === target) continue;
      if (source === 'engine') out.push(`${from} → ${to} (the engine imports nothing from the proxy)`);
      else if (target === 'engine' && source !== 'cli') out.push(`${from} → ${to} (only the CLI wires the engine in)`);
      else if (target !== 'engine' && !(floorOf(target) < floorOf(source))) out.push(`${from} → ${to}`);
    }
  }
  return out;
}

/** The endpoint modules: the ops files ops/table.ts binds handlers from (its value imports). */
function endpointModules(): string[] {
  const table = readFileSync(join(SRC, 'ops/table.ts'), 'utf8');
  return [...table.matchAll(/^import \{[^}]*\} from '\.\/([^']+)'/gm)].map((m) => `ops/${m[1]}`);
}

function endpointImports(graph: Graph, modules: readonly string[]): string[] {
  const endpoints = new Set(modules);
  const out: string[] = [];
  for (const from of endpoints) for (const to of graph.get(from) ?? []) if (endpoints.has(to)) out.push(`${from} → ${to}`);
  return out;
}

describe('the source tree reads one way (SPEC §3)', () => {
  const graph = importGraph();

  it('places every folder of src/ on a floor', () => {
    const folders = new Set([...graph.keys()].map(folderOf).filter((f) => f !== 'engine' && !f.endsWith('.ts')));
    assert.deepEqual([...folders].filter((f) => floorOf(f) < 0), []);
  });

  it('imports only from lower floors; nothing but the CLI imports server/', () => {
    assert.deepEqual(layeringViolations(graph), []);
    const intoServer = [...graph].flatMap(([from, to]) => to.filter((t) => folderOf(t) === 'server' && !['server', 'cli'].includes(folderOf(from))).map((t) => `${from} → ${t}`));
    assert.deepEqual(intoServer, []);
  });

  it('has no endpoint module importing another', () => {
    const modules = endpointModules();
    assert.ok(modules.length >= 10, `ops/table.ts binds the endpoint modules (found ${modules.join(', ')})`);
    assert.deepEqual(endpointImports(graph, modules), []);
  });

  it('catches each kind of violation when one is planted', () => {
    const planted: Graph = new Map([
      ['ops/doc.ts', ['server/admin.ts', 'ops/search.ts', 'tenancy/names.ts']],
      ['ops/search.ts', []],
      ['ops/table.ts', ['ops/doc.ts', 'ops/search.ts']],
      ['tenancy/names.ts', ['auth/index.ts', 'core/json.ts']],
      ['engine/engine.ts', ['core/json.ts']],
      ['control/snapshot.ts', ['engine/engine.ts']],
    ]);
    assert.deepEqual(layeringViolations(planted).sort(), [
      'control/snapshot.ts → engine/engine.ts (only the CLI wires the engine in)',
      'engine/engine.ts → core/json.ts (the engine imports nothing from the proxy)',
      'ops/doc.ts → server/admin.ts',
      'tenancy/names.ts → auth/index.ts',
    ]);
    assert.deepEqual(endpointImports(planted, ['ops/doc.ts', 'ops/search.ts']), ['ops/doc.ts → ops/search.ts']);
  });
});
