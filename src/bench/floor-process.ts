/**
 * Starts the floor forwarder (floor-forwarder.ts) as its own process, bundled to plain JavaScript
 * like the proxy under test: both then run under plain node with the same undici, so the floor
 * differs from osproxy only in what osproxy does per request.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_BUILD_DIR } from '../build/bundle.ts';
import { spawnScript, type BenchProcess } from './processes.ts';
import type { Teardown } from './teardown.ts';

const SOURCE = fileURLToPath(new URL('./floor-forwarder.ts', import.meta.url));

/** Bundles the forwarder next to the bench's proxy build (inside the project, so undici resolves). */
export async function bundleFloor(outdir = BENCH_BUILD_DIR): Promise<string> {
  const outfile = join(outdir, 'floor-forwarder.js');
  await build({ entryPoints: [SOURCE], bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', outfile, logLevel: 'warning' });
  return outfile;
}

/** The floor in front of `upstream`, stopped with the run. */
export async function startFloorProcess(upstream: string, teardown: Teardown): Promise<BenchProcess> {
  const floor = await spawnScript('floor', await bundleFloor(), [upstream]);
  teardown.add(() => floor.stop());
  return floor;
}
