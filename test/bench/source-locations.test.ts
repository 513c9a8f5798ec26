import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hotFunctions } from '../../src/bench/cpu-profile.ts';
import { SourceLocations } from '../../src/bench/source-locations.ts';

/*
 * A profiled frame in a whitespace-minified chunk is reported at its line in the sources, read
 * from the chunk's linked source map (a real esbuild build, as build/bundle.ts makes them).
 */

const SOURCE = `export function parseAnswer(text: string): unknown {
  return JSON.parse(text);
}

export function rewriteHits(hits: unknown[]): number {
  let n = 0;
  for (const h of hits) if (h !== null) n++;
  return n;
}
`;

/** 0-based line and column of `function name` in the generated text. */
function generatedAt(text: string, name: string): { lineNumber: number; columnNumber: number } {
  const lines = text.split('\n');
  const lineNumber = lines.findIndex((l) => l.includes(`function ${name}`));
  assert.ok(lineNumber >= 0, name);
  return { lineNumber, columnNumber: (lines[lineNumber] as string).indexOf(`function ${name}`) };
}

describe('source locations of profiled frames', () => {
  let root: string;
  let chunk: string;
  let text: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'osproxy-srcmap-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/answer.ts'), SOURCE);
    await build({ entryPoints: [join(root, 'src/answer.ts')], bundle: true, format: 'esm', platform: 'node', minifyWhitespace: true, sourcemap: 'linked', outdir: join(root, 'out'), logLevel: 'warning' });
    chunk = join(root, 'out/answer.js');
    text = readFileSync(chunk, 'utf8');
  });

  it('maps both functions of one minified line back to their own source lines', () => {
    const at = (name: string) => generatedAt(text, name);
    assert.equal(at('parseAnswer').lineNumber, at('rewriteHits').lineNumber, 'the build put both on one line');
    const locations = new SourceLocations(root);
    const url = pathToFileURL(chunk).href;
    assert.equal(locations.describe({ url, ...at('parseAnswer') }), 'src/answer.ts:1');
    assert.equal(locations.describe({ url, ...at('rewriteHits') }), 'src/answer.ts:5');
  });

  it('keeps the line of a file without a map, and native frames as such', () => {
    const plain = join(root, 'plain.js');
    writeFileSync(plain, 'export const x = 1;\n');
    const locations = new SourceLocations(root);
    assert.equal(locations.describe({ url: pathToFileURL(plain).href, lineNumber: 0, columnNumber: 3 }), 'plain.js:1');
    assert.equal(locations.describe({ url: '', lineNumber: -1 }), '(native)');
    assert.equal(locations.describe({ url: 'node:internal/stream_base_commons', lineNumber: 122 }), 'node:internal/stream_base_commons:123');
  });

  it('ranks two functions on one minified line apart, each at its source line', () => {
    const url = pathToFileURL(chunk).href;
    const a = generatedAt(text, 'parseAnswer');
    const b = generatedAt(text, 'rewriteHits');
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: 'parseAnswer', url, ...a } },
        { id: 2, callFrame: { functionName: '', url, ...b } },
        { id: 3, callFrame: { functionName: '', url, lineNumber: a.lineNumber, columnNumber: a.columnNumber } },
      ],
      samples: [1, 2, 2, 3],
      timeDeltas: [1000, 1000, 1000, 1000],
    };
    const { top } = hotFunctions(profile, 10, root);
    assert.deepEqual(top.map((f) => [f.name, f.location, f.selfMs]), [
      ['(anonymous)', 'src/answer.ts:5', 2],
      ['parseAnswer', 'src/answer.ts:1', 1],
      ['(anonymous)', 'src/answer.ts:1', 1],
    ]);
  });
});
