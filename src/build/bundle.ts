/**
 * The CLI as plain JavaScript: esbuild bundles src/cli/main.ts (npm packages stay external, each
 * subcommand's code in its own chunk, loaded on demand) so the proxy runs without the tsx loader,
 * which alone costs ~30 MiB of RSS and a second V8 isolate. `npm run build` writes `dist/`; the
 * benchmark builds its own copy so that it always measures the current sources.
 *
 * zod is the exception: every worker validates its config with it, and as a package it is 227
 * modules, 57 of them error-message locales, all loaded by `import 'zod'`. Bundled in, with English
 * its only locale, and the whole bundle's whitespace dropped (source text stays on V8's heap for
 * lazy compilation), an idle worker's heap is ~2 MiB smaller (15.8 → 13.8 MiB). The linked source
 * maps turn its stack traces back into source lines (`node --enable-source-maps`).
 *
 *   npm run build            # → dist/main.js   (node dist/main.js serve --config …)
 */
import { build, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { projectRoot } from '../core/project-root.ts';
import { isEntryScript } from '../core/entry-script.ts';

const ROOT = projectRoot();
const ENTRY = join(ROOT, 'src/cli/main.ts');

const BUNDLED_PACKAGES = new Set(['zod']);

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** npm packages stay external (resolved from node_modules at run time), but for BUNDLED_PACKAGES. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED_PACKAGES.has(packageName(args.path)) ? undefined : { path: args.path, external: true }));
  },
};

/** zod's locale index, reduced to the English messages it registers by default. */
const englishOnlyZod: Plugin = {
  name: 'english-only-zod',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({ contents: 'export { default as en } from "./en.js";', loader: 'js', resolveDir: dirname(args.path) }));
  },
};

/** Bundles the CLI into `outdir` (inside the project, so that node_modules resolve); returns main.js. */
export async function bundleCli(outdir: string): Promise<string> {
  await build({
    entryPoints: [ENTRY],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externalPackages, englishOnlyZod],
    minifyWhitespace: true,
    sourcemap: 'linked',
    outdir,
    logLevel: 'warning',
  });
  return join(outdir, 'main.js');
}

/**
 * The bench's private build location (node_modules/.cache is where tools keep such files), one per
 * checkout: worktrees sharing one node_modules (a symlink) must not run each other's build.
 */
export const BENCH_BUILD_DIR = join(ROOT, 'node_modules/.cache/osproxy', `bench-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`);

// Compared as real paths: a node_modules reached through a symlink names the script by another path.
if (isEntryScript(import.meta.url)) {
  const out = join(ROOT, 'dist');
  console.log(await bundleCli(out));
}
