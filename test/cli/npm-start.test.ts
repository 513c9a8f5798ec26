/**
 * `npm start` as a user (or a supervisor) runs it: SIGTERM to the npm process stops the proxy and
 * its engine, with a line saying so. Before, npm's `sh -c` died alone and left both running.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../src/core/project-root.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('stops the proxy and the engine on SIGTERM to npm', async () => {
    const env = { ...process.env };
    delete env.OSPROXY_CURSOR_KEY;
    const child = spawn('npm', ['start', '--', '--port', '0'], { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'inherit'], env });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    const first = await new Promise<{ osproxy: string[]; engine_pid: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address line in 60 s: ${out}`)), 60_000);
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before its address line: ${out}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        out += `${line}\n`;
        if (line.startsWith('{"osproxy"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as { osproxy: string[]; engine_pid: number });
        }
      });
    });
    const url = first.osproxy[0];
    assert.equal((await fetch(`${url}/_osproxy/health`)).status, 200);
    child.kill('SIGTERM');
    await exited;
    // An orphan left running would hold the pipe (and the test) open: let go of it either way.
    child.stdout.destroy();
    assert.match(out, /osproxy dev: stopping/);
    await assert.rejects(fetch(`${url}/_osproxy/health`), 'the proxy is gone');
    for (let i = 0; alive(first.engine_pid) && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(first.engine_pid), false, 'the engine is gone');
  });
});
