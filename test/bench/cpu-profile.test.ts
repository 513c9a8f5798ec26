import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hotFunctions, type CpuProfile } from '../../src/bench/cpu-profile.ts';

const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
    { id: 2, callFrame: { functionName: 'handleRequest', url: 'file:///repo/src/server/handle-request.ts', lineNumber: 41 } },
    { id: 3, callFrame: { functionName: 'writev', url: '', lineNumber: -1 } },
    { id: 4, callFrame: { functionName: '', url: 'file:///repo/src/x.ts', lineNumber: 0 } },
  ],
  samples: [1, 2, 3, 3, 4, 1],
  timeDeltas: [5000, 1000, 2000, 3000, 4000, 9000],
};

test('self time per function, idle excluded, largest first, with source locations', () => {
  const { totalMs, top } = hotFunctions(PROFILE, 10, '/repo');
  assert.equal(totalMs, 10);
  assert.deepEqual(top.map((f) => [f.name, f.location, f.selfMs]), [
    ['writev', '(native)', 5],
    ['(anonymous)', 'src/x.ts:1', 4],
    ['handleRequest', 'src/server/handle-request.ts:42', 1],
  ]);
  assert.equal(top[0].selfPercent, 50);
  assert.equal(hotFunctions(PROFILE, 1).top.length, 1);
});
