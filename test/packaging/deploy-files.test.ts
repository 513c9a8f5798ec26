import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { bundleCli } from '../../src/build/bundle.ts';
import { startStack } from '../helpers/stack.ts';

/*
 * The Dockerfile and the systemd unit name only files, scripts, commands and options that exist
 * (no Docker daemon here: the image is not built; what it runs is built and run instead).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; scripts: Record<string, string>; dependencies: Record<string, string> };

/** Dockerfile instructions with their arguments (continuation lines joined, comments dropped). */
function instructions(text: string): [string, string][] {
  return text.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => {
    const i = l.indexOf(' ');
    return [l.slice(0, i).toUpperCase(), l.slice(i + 1).trim()] as [string, string];
  });
}

/** Runs `node -e script` without blocking this process (an in-process proxy must answer it). */
function nodeEval(script: string): Promise<number | null> {
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** `["a", "b"]` (exec form) or `a b` (shell form) as words. */
const words = (arg: string): string[] => (arg.startsWith('[') ? (JSON.parse(arg) as string[]) : arg.split(/\s+/));

describe('Dockerfile and deploy/osproxy.service name only what exists', () => {
  let built: string;
  /** `node <built CLI> <args>`: what the image's ENTRYPOINT and the unit's ExecStart run. */
  const cli = (...args: string[]): { status: number | null; out: string } => {
    const r = spawnSync(process.execPath, [built, ...args], { encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, out: r.stdout + r.stderr };
  };

  before(async () => {
    // `npm run build` writes dist/main.js; build the same into a private folder.
    assert.equal(pkg.scripts.build, 'tsx src/build/bundle.ts');
    assert.match(read('src/build/bundle.ts'), /join\(ROOT, 'dist'\)/);
    built = await bundleCli(join(ROOT, 'node_modules/.cache/osproxy/packaging-test'));
    assert.ok(built.endsWith('/main.js'));
  });

  it('Dockerfile: a slim Node base matching engines, npm ci without dev dependencies, copies what exists, runs as non-root', () => {
    const steps = instructions(read('Dockerfile'));
    const from = steps.find(([k]) => k === 'FROM')?.[1] ?? '';
    const major = /^>=(\d+)\./.exec(pkg.engines.node)?.[1];
    assert.match(from, new RegExp(`^node:${major}(\\.\\d+)*-slim$`));
    const workdir = steps.find(([k]) => k === 'WORKDIR')?.[1];
    assert.equal(workdir, '/opt/osproxy');
    for (const [, arg] of steps.filter(([k]) => k === 'COPY')) {
      const parts = words(arg);
      for (const src of parts.slice(0, -1)) assert.ok(existsSync(join(ROOT, src)), `COPY ${src}`);
    }
    const runs = steps.filter(([k]) => k === 'RUN').map(([, a]) => a).join(' && ');
    assert.match(runs, /npm ci --omit=dev/);
    for (const m of runs.matchAll(/npm run (\S+)/g)) assert.ok(pkg.scripts[m[1]] !== undefined, `npm run ${m[1]}`);
    // `npm run build` needs only runtime dependencies.
    for (const dep of ['tsx', 'esbuild']) assert.ok(pkg.dependencies[dep] !== undefined, `${dep} is a dependency, not a dev one`);
    const user = steps.filter(([k]) => k === 'USER').pop()?.[1];
    assert.ok(user !== undefined && user !== 'root' && user !== '0', 'runs as a non-root user');
    assert.ok(existsSync(join(ROOT, '.dockerignore')) && read('.dockerignore').includes('node_modules'));
  });

  it('Dockerfile: ENTRYPOINT + CMD is the built CLI’s serve --config', () => {
    const steps = instructions(read('Dockerfile'));
    const entry = words(steps.find(([k]) => k === 'ENTRYPOINT')?.[1] ?? '[]');
    const cmd = words(steps.find(([k]) => k === 'CMD')?.[1] ?? '[]');
    assert.deepEqual(entry, ['node', 'dist/main.js']);
    assert.deepEqual(cmd.slice(0, 2), ['serve', '--config']);
    const help = cli('serve', '--help');
    assert.equal(help.status, 0, help.out);
    assert.match(help.out, /--config <file>/);
    // A missing config is one line and exit 2, like any other start-up failure.
    const missing = cli('serve', '--config', '/nonexistent/osproxy.yaml');
    assert.equal(missing.status, 2, missing.out);
  });

  it('Dockerfile: the HEALTHCHECK command calls /_osproxy/health and tells up from down', async () => {
    const steps = instructions(read('Dockerfile'));
    const check = steps.find(([k]) => k === 'HEALTHCHECK')?.[1] ?? '';
    const command = words(check.slice(check.indexOf('CMD ') + 4));
    assert.equal(command[0], 'node');
    const script = command[2];
    const url = /fetch\('([^']+)'\)/.exec(script)?.[1] ?? '';
    assert.equal(new URL(url).pathname, '/_osproxy/health');
    const example = parse(read('docs/osproxy.example.yaml')) as { listeners: { host: string; port: number; tls?: unknown }[] };
    assert.ok(example.listeners.some((l) => l.host === '127.0.0.1' && String(l.port) === new URL(url).port && l.tls === undefined), 'the example config has that loopback HTTP listener');
    const stack = await startStack();
    try {
      assert.equal(await nodeEval(script.replace(new URL(url).origin, stack.url)), 0, 'healthy');
    } finally {
      await stack.close();
    }
    assert.equal(await nodeEval(script.replace(new URL(url).origin, stack.url)), 1, 'unhealthy once the proxy is gone');
  });

  it('deploy/osproxy.service: ExecStart is the built CLI’s serve, reload is SIGHUP, exit 2 is not restarted', () => {
    const unit = read('deploy/osproxy.service');
    const value = (key: string): string => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1] ?? '';
    const exec = value('ExecStart').split(/\s+/);
    assert.match(exec[0], /^\/usr(\/local)?\/bin\/node$/);
    const installed = value('WorkingDirectory');
    assert.equal(installed, '/opt/osproxy');
    assert.ok(exec[1].startsWith(`${installed}/`), 'the script is in the install folder');
    assert.equal(exec[1].slice(installed.length + 1), 'dist/main.js', 'what npm run build writes');
    assert.deepEqual(exec.slice(2, 4), ['serve', '--config']);
    assert.equal(cli(...exec.slice(2, 3), '--help').status, 0);
    assert.equal(value('ExecReload'), '/bin/kill -HUP $MAINPID');
    assert.ok(existsSync('/bin/kill'));
    assert.match(read('src/cli/serve-run.ts'), /reloadOnSighup/, 'serve re-reads its configuration on SIGHUP');
    assert.equal(value('RestartPreventExitStatus'), '2');
    assert.equal(value('KillSignal'), 'SIGTERM');
    assert.match(value('User'), /^[a-z_][a-z0-9_-]*$/);
    assert.notEqual(value('User'), 'root');
  });
});
