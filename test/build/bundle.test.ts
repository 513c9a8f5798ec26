import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../../src/build/bundle.ts';
import { runCli } from '../helpers/spawn-cli.ts';

/*
 * The bundled CLI (what `npm run build` ships and the bench measures) carries zod inside it with
 * English as its only locale, and says what the sources say.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'node_modules/.cache/osproxy/bundle-test');

/** A marker of zod's German messages (ASCII: the bundle escapes the rest), read from the installed package. */
function germanMarker(): string {
  const de = readFileSync(join(ROOT, 'node_modules/zod/v4/locales/de.js'), 'utf8');
  const marker = /Eingabe: erwartet /.exec(de)?.[0];
  assert.ok(marker !== undefined, 'zod still ships its German messages');
  return marker;
}

describe('the bundled CLI', () => {
  let main: string;
  let chunks: string[];

  before(async () => {
    rmSync(OUT, { recursive: true, force: true }); // chunk names are hashed: an earlier build's would stay beside
    main = await bundleCli(OUT);
    chunks = readdirSync(OUT).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(OUT, f), 'utf8'));
  });

  it('imports no zod at run time: zod is inside the bundle, without its other locales', () => {
    assert.ok(chunks.some((c) => c.includes('Invalid input')), 'zod\'s English messages are in the bundle');
    for (const c of chunks) assert.doesNotMatch(c, /from\s*"zod(\/[^"]*)?"/);
    const german = germanMarker();
    assert.ok(chunks.every((c) => !c.includes(german)), 'no German messages in the bundle');
    assert.ok(chunks.some((c) => /from\s*"undici"/.test(c)), 'other packages stay external');
  });

  it('refuses a bad config with the same English line as the sources', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osproxy-bundle-'));
    const file = join(dir, 'osproxy.yaml');
    writeFileSync(file, 'clusters:\n  default: { url: 5 }\ncontrol: { store: memory }\n');
    const bundled = spawnSync(process.execPath, [main, 'serve', '--config', file], { encoding: 'utf8', timeout: 30_000 });
    const sources = await runCli(['serve', '--config', file]);
    assert.equal(bundled.status, 2, bundled.stderr);
    assert.equal(bundled.stderr.trim(), 'config: clusters.default.url: Invalid input: expected string, received number');
    assert.equal(bundled.stderr, sources.stderr);
  });

  it('ships source maps beside its chunks, so a stack trace maps back to the sources', () => {
    const maps = readdirSync(OUT).filter((f) => f.endsWith('.js.map'));
    assert.ok(maps.length > 0);
    const map = JSON.parse(readFileSync(join(OUT, maps[0] as string), 'utf8')) as { sources: string[] };
    assert.ok(map.sources.some((s) => s.includes('src/')), map.sources.slice(0, 3).join(', '));
    assert.match(readFileSync(main, 'utf8'), /\/\/# sourceMappingURL=main\.js\.map/);
  });
});
