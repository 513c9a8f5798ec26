/** `osproxy bench`: the direct-vs-proxy benchmark (SPEC §8). */
import { Command } from 'commander';
import { BenchOptionError, checkBenchOptions, type RawBenchOptions } from './bench-options.ts';
import { Teardown } from './teardown.ts';

async function bench(raw: RawBenchOptions & { strict?: boolean }): Promise<void> {
  let opts;
  try {
    opts = checkBenchOptions(raw);
  } catch (e) {
    if (!(e instanceof BenchOptionError)) throw e;
    console.error(`osproxy bench: ${e.message}`);
    process.exit(2);
  }
  // Loaded on demand: the charting libraries must not weigh on `serve` and `engine` processes.
  const [{ runBench }, { summaryLines }] = await Promise.all([import('./run-bench.ts'), import('./report-md.ts')]);
  const teardown = new Teardown();
  teardown.onSignals();
  try {
    const run = await runBench(opts, teardown);
    for (const line of summaryLines(run.profile, run.verdict)) console.log(line);
    console.log(`wrote ${run.files.map((f) => `${opts.out}/${f}`).join(', ')}`);
    if (raw.strict === true && !run.verdict.pass) process.exitCode = 1;
  } catch (e) {
    console.error(`osproxy bench failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  } finally {
    await teardown.run();
  }
}

export function benchCommand(): Command {
  return new Command('bench')
    .description('measure the proxy against the direct upstream, a minimal Node forwarder (and nginx): latency, throughput, CPU per request, pool reuse, footprint')
    .option('--upstream <url>', 'upstream OpenSearch URL (default: start the embedded engine)')
    .option('--engine', 'start the embedded engine as the upstream (the default)')
    .option('--proxy <url>', 'benchmark an already running proxy (tenant "bench" in shared placement) instead of starting one')
    .option('--token <token>', 'with --proxy: the bench tenant\'s bearer token (or OSPROXY_BENCH_TOKEN)')
    .option('--operator-token <token>', 'with --proxy: an operator token for pool stats (or OSPROXY_BENCH_OPERATOR_TOKEN)')
    .option('--workload <name>', 'index | get | search | bulk | mixed', 'mixed')
    .option('--doc-size <bytes>', 'document size in bytes (256, 4096, 65536, …)', '1024')
    .option('--concurrency <n>', 'requests in flight (closed loop) or the in-flight bound (open loop); the judged level', undefined)
    .option('--sweep <list>', 'concurrency levels, e.g. 1,8,32,64')
    .option('--rate <r>', 'open loop: arrivals per second per side (latency from the intended send time)')
    .option('--rounds <n>', 'timed rounds per level: the sides interleave, one run each per round (default 5)')
    .option('--round-seconds <s>', 'seconds per side and round (default 1)')
    .option('--duration <s>', 'seconds per side and level, split into the rounds (instead of --round-seconds)')
    .option('--requests <n>', 'requests per side and level, split into the rounds (instead of a duration)')
    // 3 s: after 1 s the proxy's first round still cost ~2.5× its later ones (JIT tiers, heap growth).
    .option('--warmup <s>', 'warm-up seconds per side and level, before the rounds', '3')
    .option('--peer <name>', 'also measure a plain reverse proxy: nginx')
    .option('--out <dir>', 'output directory (default bench-results/<workload>-<time>)')
    .option('--workers <list>', 'proxy worker counts to measure, e.g. 1,2 (default 1 and the core count)')
    .option('--soak <n>', 'requests through the proxy before the after-soak RSS', '1000')
    .option('--settle <s>', 'quiet seconds before each idle and after-soak RSS reading', '15')
    .option('--bulk-size <n>', 'documents per _bulk request', '100')
    .option('--thresholds <file>', 'YAML/JSON judge thresholds (defaults in src/bench/judge.ts)')
    .option('--cpu-profile', 'CPU-profile the single-worker proxy and rank its hottest functions')
    .option('--no-progress', 'plain lines instead of a progress bar')
    .option('--strict', 'exit 1 when the verdict fails')
    .action(bench);
}
