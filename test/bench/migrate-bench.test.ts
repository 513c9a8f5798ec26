/**
 * `npm run bench:migrate` at a small scale: it runs a real migration under writers and prints
 * its figures, and it checks what it claims (the index holds exactly the documents written).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('../../src/bench/migrate-bench.ts', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', BENCH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => child.once('close', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr });
  }));
}

describe('bench:migrate', () => {
  it('moves a small index under writers and prints the copy rate and the write pause', async () => {
    const r = await run(['--docs', '400', '--doc-size', '512', '--instances', '2', '--writers', '2', '--timeout-ms', '1000']);
    assert.equal(r.code, 0, r.stderr);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    const result = JSON.parse(last) as Record<string, number | boolean>;
    assert.equal(result.docs, 400);
    assert.equal(result.nothing_lost, true);
    assert.equal(result.count_after, 400);
    assert.ok((result.copy_docs_per_s as number) > 0, 'a copy rate');
    assert.ok((result.writes as number) > 0, 'the writers wrote during the move');
    assert.ok((result.pause_max_ms as number) >= (result.pause_p50_ms as number));
    assert.match(r.stdout, /copy\s+\d+ docs\/s/);
    assert.match(r.stdout, /write pause\s+p50 \d+ ms, max \d+ ms/);
  });

  it('refuses a bad flag with one line', async () => {
    const r = await run(['--docs', 'many']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^bench:migrate: --docs must be a positive integer\n$/);
  });
});
