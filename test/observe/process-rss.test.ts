import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { childPids, processTreeRssKib } from '../../src/observe/process-rss.ts';

const MIB = 1024;

describe('processTreeRssKib', () => {
  it("measures this process's resident memory", () => {
    const own = processTreeRssKib(process.pid);
    assert.ok(own !== undefined && own > 10 * MIB, `own RSS ${own} KiB`);
  });

  it("adds a child's memory to its parent's tree", async () => {
    const before = processTreeRssKib(process.pid) as number;
    // A child that touches 96 MiB and says so, then waits to be killed.
    const child = spawn(process.execPath, ['-e', 'globalThis.b = Buffer.alloc(96 * 1024 * 1024, 1); console.log("ready"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(child.stdout, 'data');
      assert.ok(childPids(process.pid).includes(child.pid as number), 'the child is listed under its parent');
      const childRss = processTreeRssKib(child.pid as number) as number;
      assert.ok(childRss > 90 * MIB, `child RSS ${childRss} KiB`);
      const withChild = processTreeRssKib(process.pid) as number;
      assert.ok(withChild > before + 80 * MIB, `tree ${withChild} KiB vs ${before} KiB before the child`);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });

  it('is undefined for a process that does not exist', async () => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    const pid = child.pid as number;
    await once(child, 'exit');
    assert.equal(processTreeRssKib(pid), undefined);
  });
});
