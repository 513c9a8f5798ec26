/**
 * The CLI as plain JavaScript: esbuild bundles src/cli/main.ts (npm packages stay external, each
 * subcommand's code in its own chunk, loaded on demand) so the proxy runs without the tsx loader,
 * which alone costs ~30 MiB of RSS and a second V8 isolate. `npm run build` writes `dist/`; the
 * benchmark builds its own copy so that it always measures the current sources.
 *
 *   npm run build            # → dist/main.js   (node dist/main.js serve --config …)
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { projectRoot } from '../core/project-root.ts';
import { isEntryScript } from '../core/entry-script.ts';

const ROOT = projectRoot();
const ENTRY = join(ROOT, 'src/cli/main.ts');

/** Bundles the CLI into `outdir` (inside the project, so that node_modules resolve); returns main.js. */
export async function bundleCli(outdir: string): Promise<string> {
  await build({
    entryPoints: [ENTRY],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
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
