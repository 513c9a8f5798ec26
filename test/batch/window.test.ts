import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { runWindowed, TaskWindow } from '../../src/batch/window.ts';

describe('runWindowed', () => {
  it('runs at most `window` tasks at once and keeps results in position', async () => {
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 12 }, (_, i) => async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep((12 - i) * 2); // later tasks finish first
      running--;
      return i * 10;
    });
    const out = await runWindowed(tasks, 3);
    assert.equal(peak, 3);
    assert.deepEqual(out.map((r) => (r.ok ? r.value : -1)), Array.from({ length: 12 }, (_, i) => i * 10));
  });

  it('isolates a throwing task to its own result', async () => {
    const out = await runWindowed(
      [async () => 1, async () => Promise.reject(new Error('boom')), () => { throw new Error('sync'); }, async () => 4],
      2,
    );
    assert.deepEqual(out[0], { ok: true, value: 1 });
    assert.equal(out[1].ok, false);
    assert.equal(!out[1].ok && (out[1].error as Error).message, 'boom');
    assert.equal(!out[2].ok && (out[2].error as Error).message, 'sync');
    assert.deepEqual(out[3], { ok: true, value: 4 });
  });

  it('accepts an async iterable and pulls it only as slots free up', async () => {
    let pulled = 0;
    let finished = 0;
    async function* gen(): AsyncGenerator<() => Promise<number>> {
      for (let i = 0; i < 6; i++) {
        pulled++;
        assert.ok(pulled - finished <= 3, 'producer ran ahead of the window');
        yield async () => {
          await sleep(5);
          finished++;
          return i;
        };
      }
    }
    const out = await runWindowed(gen(), 2);
    assert.deepEqual(out.map((r) => r.ok && r.value), [0, 1, 2, 3, 4, 5]);
  });

  it('returns an empty list for no tasks and refuses a bad window', async () => {
    assert.deepEqual(await runWindowed([], 4), []);
    assert.throws(() => new TaskWindow(0), RangeError);
  });

  it('TaskWindow.submit waits for a slot; idle() waits for all', async () => {
    const win = new TaskWindow(1);
    let release!: () => void;
    const first = await win.submit(() => new Promise<string>((r) => (release = () => r('a'))));
    let secondStarted = false;
    const second = win.submit(async () => ((secondStarted = true), 'b'));
    await sleep(5);
    assert.equal(secondStarted, false);
    release();
    assert.deepEqual(await first.result, { ok: true, value: 'a' });
    assert.deepEqual(await (await second).result, { ok: true, value: 'b' });
    await win.idle();
    assert.equal(win.active, 0);
  });
});
