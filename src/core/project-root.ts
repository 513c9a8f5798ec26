/**
 * The project's root directory (where osproxy's package.json is), found by walking up from this
 * module — so paths stay right both from src/ under tsx and from a bundled dist/ chunk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function isOsproxyRoot(dir: string): boolean {
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return false;
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'osproxy';
  } catch {
    return false;
  }
}

export function projectRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (isOsproxyRoot(dir)) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find osproxy's package.json above ${from}`);
  }
}

/** osproxy's version, from its package.json ("unknown" when it cannot be read). */
export function osproxyVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
