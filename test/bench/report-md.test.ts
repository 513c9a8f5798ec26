import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatMicros, formatValue, renderReport, summaryLines } from '../../src/bench/report-md.ts';
import { benchProfile, benchVerdict, finding } from '../helpers/bench-profile.ts';

const CHARTS = ['latency.svg', 'latency.png', 'sweep.svg', 'sweep.png', 'throughput.svg', 'throughput.png'];

/** The table row whose first cell is `first`. */
function row(md: string, first: string): string {
  const line = md.split('\n').find((l) => l.startsWith(`| ${first} |`));
  assert.ok(line !== undefined, `no row starting with ${first}`);
  return line;
}

test('the report has a heading, the environment and the verdict rows with pass / FAIL / not measured', () => {
  const md = renderReport(benchProfile(), benchVerdict(), CHARTS);
  assert.match(md, /^# osproxy bench: search, 1 KiB docs, closed loop\n/);
  assert.ok(md.includes('2025-01-02T03:04:05.000Z'));
  assert.match(md, /Node v20\.18\.1 on linux x64, 8 CPUs; upstream engine \(http:\/\/127\.0\.0\.1:9200\);.*no peer \(nginx not found on PATH\)/);
  assert.ok(md.includes('**FAIL**: 1 finding failed.'));
  assert.equal(row(md, 'added p50 latency'), '| added p50 latency | 0.46 ms | ≤ 1.00 ms | pass |');
  assert.equal(row(md, 'added p99 latency'), '| added p99 latency | 7.50 ms | ≤ 5.00 ms | **FAIL** |');
  assert.equal(row(md, 'throughput vs direct'), '| throughput vs direct | 0.93× | ≥ 0.80× | pass |');
  assert.equal(row(md, 'upstream connection reuse'), '| upstream connection reuse | not measured | ≥ 99.0% | not measured |');
  assert.equal(row(md, 'idle RSS'), '| idle RSS | 62.3 MiB | ≤ 150.0 MiB | pass |');
});

test('a passing verdict says so', () => {
  const md = renderReport(benchProfile(), benchVerdict([finding('added_p50', 'added p50 latency', 0.2, 1, '<=', 'ms')]), []);
  assert.ok(md.includes('**PASS**: no finding failed.'));
  assert.ok(!md.includes('## Charts'), 'no chart section without charts');
});

test('the level tables show every side with formatted figures, overhead and pool reuse', () => {
  const profile = benchProfile({ workers: [1, 2], concurrencies: [1, 64] });
  const md = renderReport(profile, benchVerdict(), CHARTS);
  assert.ok(md.includes('### 1 proxy worker'));
  assert.ok(md.includes('### 2 proxy workers'));
  const level = profile.levels.find((l) => l.workers === 1 && l.concurrency === 64);
  assert.ok(level !== undefined);
  const proxyRow = md.split('\n').find((l) => l.startsWith('| 64 | proxy |'));
  assert.ok(proxyRow !== undefined);
  const cells = proxyRow.split(' | ');
  assert.equal(cells[2], level.proxy.requests.toLocaleString('en-US'));
  assert.equal(cells[3], '3', 'errors');
  assert.equal(cells[4], Math.round(level.proxy.throughput).toLocaleString('en-US'));
  assert.equal(cells[5], formatMicros(level.proxy.cpuUsPerRequest.hop), 'hop CPU');
  assert.equal(cells[6], String(level.proxy.cpuUsPerRequest.upstream), 'upstream CPU (whole µs from 100)');
  assert.equal(cells[7], level.proxy.latency.p50.toFixed(2));
  assert.equal(cells[11], level.overhead.addedP50.toFixed(2));
  assert.equal(cells[13], `${level.overhead.throughputRatio.toFixed(2)}×`);
  assert.match(cells[14], /^\d+\.\d% \|$/);
  assert.match(md, /\| 1 \| direct \| [\d,]+ \| 0 \| [\d,]+ \| — \| [\d.,]+ \| \d+\.\d\d \| .* \| — \| — \| — \| — \|/);
  const sides = md.split('\n').filter((l) => l.startsWith('| 64 |')).map((l) => l.split(' | ')[1]);
  assert.deepEqual(sides.slice(0, 3), ['direct', 'proxy', 'floor'], 'sides in round order');
  assert.ok(!md.includes('docs/s'), 'no docs/s column for single-document requests');
});

test('a bulk profile adds documents per second to the level table', () => {
  const profile = benchProfile({ concurrencies: [4] });
  profile.workload = 'bulk';
  profile.docsPerRequest = 1000;
  const md = renderReport(profile, benchVerdict(), []);
  assert.ok(md.includes('| req/s | docs/s | hop CPU µs/req |'));
  const cells = row(md, '4').split(' | ');
  assert.equal(cells[5], Math.round(profile.levels[0].direct.throughput * 1000).toLocaleString('en-US'));
});

test('the hop cost table gives osproxy ÷ floor and ÷ nginx for CPU per request and throughput', () => {
  const profile = benchProfile({ peer: true, concurrencies: [4] });
  const l = profile.levels[0];
  assert.ok(l.floor !== undefined && l.peer !== undefined);
  const md = renderReport(profile, benchVerdict(), []);
  assert.ok(md.includes('## Hop cost: osproxy against the floor and nginx'));
  const hop = (s: { cpuUsPerRequest: { hop: number | null } }): number => s.cpuUsPerRequest.hop as number;
  const expected = [
    '1',
    '4',
    hop(l.proxy).toFixed(1),
    hop(l.floor).toFixed(1),
    `${(hop(l.proxy) / hop(l.floor)).toFixed(2)}×`,
    `${(l.proxy.throughput / l.floor.throughput).toFixed(2)}×`,
    hop(l.peer).toFixed(1),
    `${(hop(l.proxy) / hop(l.peer)).toFixed(2)}×`,
    `${(l.proxy.throughput / l.peer.throughput).toFixed(2)}×`,
  ];
  assert.ok(md.includes(`| ${expected.join(' | ')} |`), md);
  const noPeer = renderReport(benchProfile({ concurrencies: [4] }), benchVerdict(), []);
  assert.ok(noPeer.includes('| throughput osproxy ÷ floor |\n'), 'no nginx columns without a peer');
  assert.ok(!renderReport(benchProfile({ concurrencies: [4], floor: false }), benchVerdict(), []).includes('## Hop cost'));
});

test('the rounds table lists every round per side and the medians', () => {
  const profile = benchProfile({ concurrencies: [4] });
  const l = profile.levels[0];
  const md = renderReport(profile, benchVerdict(), []).split('## Rounds')[1].split('\n## ')[0];
  assert.ok(md.startsWith(' at the profile level (1 worker × concurrency 4)'));
  assert.ok(md.includes('| round | direct req/s | direct CPU µs/req | proxy req/s | proxy CPU µs/req | floor req/s | floor CPU µs/req |'));
  for (const r of l.proxy.rounds) assert.equal(row(md, String(r.round)).split(' | ')[3], Math.round(r.throughput).toLocaleString('en-US'));
  const medianCells = row(md, 'median').split(' | ');
  assert.equal(medianCells[2], String(l.direct.cpuUsPerRequest.upstream), 'direct shows the upstream\'s CPU');
  assert.equal(medianCells[4], (l.proxy.cpuUsPerRequest.hop as number).toFixed(1), 'a hop shows its own CPU');
  profile.budget.rounds = 1;
  assert.ok(!renderReport(profile, benchVerdict(), []).includes('## Rounds'), 'no rounds table for a single round');
});

test('sweeps, footprint, CPU profile and chart links', () => {
  const md = renderReport(benchProfile({ cpuProfile: true }), benchVerdict(), CHARTS);
  assert.ok(md.includes('## Concurrency sweeps'));
  assert.match(md, /\| 1 \| 1, 4, 16, 64 \| \d+\.\d\d× \| \d+\.\d\d× \| \d+\.\d\d× \| \d+\.\d\d× \|/);
  assert.ok(md.includes('| RSS 1 s after soak | RSS 15 s after soak | growth |'), 'the settle is named in the footprint table');
  assert.ok(md.includes('| 1 | 78.0 MiB | 81.0 MiB | 50,000 | 90.0 MiB | 82.0 MiB | 4.0 MiB |'));
  assert.ok(md.includes('| 1 | `parseSearchBody` | src/proxy/search.ts:42 | 812.25 | 8.2% |'));
  assert.ok(md.includes('| 2 | `(anonymous)` | node:internal/streams\\|readable:123 | 401.00 | 4.1% |'), 'pipes escaped');
  for (const png of ['latency.png', 'sweep.png', 'throughput.png']) assert.ok(md.includes(`](${png})`), png);
  assert.ok(!md.includes('.svg)'), 'only PNGs are linked');
});

test('optional sections are left out when not measured', () => {
  const md = renderReport(benchProfile({ concurrencies: [16] }), benchVerdict(), []);
  assert.ok(!md.includes('## CPU profile'));
  assert.ok(!md.includes('## Concurrency sweeps'));
  assert.ok(!md.includes('## Peer comparison'));
});

test('the peer comparison appears only with a peer, as osproxy ÷ peer ratios', () => {
  const profile = benchProfile({ peer: true, concurrencies: [4] });
  const md = renderReport(profile, benchVerdict(), CHARTS);
  assert.ok(md.includes('## Peer comparison (nginx/1.24.0)'));
  assert.ok(md.includes('peer nginx/1.24.0.'));
  const l = profile.levels[0];
  assert.ok(l.peer !== undefined && l.peerOverhead !== undefined);
  const expected = [
    '1',
    '4',
    l.overhead.addedP50.toFixed(2),
    l.peerOverhead.addedP50.toFixed(2),
    `${(l.overhead.addedP50 / l.peerOverhead.addedP50).toFixed(2)}×`,
    l.overhead.addedP99.toFixed(2),
    l.peerOverhead.addedP99.toFixed(2),
    `${(l.overhead.addedP99 / l.peerOverhead.addedP99).toFixed(2)}×`,
    `${(l.proxy.throughput / l.peer.throughput).toFixed(2)}×`,
  ];
  assert.ok(md.includes(`| ${expected.join(' | ')} |`));
  assert.ok(md.split('\n').some((line) => line.startsWith('| 4 | peer |')), 'peer rows in the level table');
});

test('value formatting per unit', () => {
  assert.equal(formatValue(1.005, 'ms'), '1.00 ms');
  assert.equal(formatValue(12345.6, 'req/s'), '12,346 req/s');
  assert.equal(formatValue(12.34, 'req/s'), '12.3 req/s');
  assert.equal(formatValue(0.5, 'ratio'), '0.50×');
  assert.equal(formatValue(0.9875, 'fraction'), '98.8%');
  assert.equal(formatValue(95, '%'), '95.0%');
  assert.equal(formatValue(3.14159, 'widgets'), '3.14 widgets');
  assert.equal(formatValue(null, 'ms'), 'not measured');
  assert.equal(formatMicros(42.46), '42.5');
  assert.equal(formatMicros(1234.4), '1,234');
  assert.equal(formatMicros(null), '—');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(4 * 1024 * 1024), '4 MiB');
});

test('summaryLines gives the profile level overhead, reuse, idle RSS and the verdict', () => {
  const profile = benchProfile({ peer: true });
  const level = profile.levels.find((l) => l.workers === 1 && l.concurrency === 4);
  assert.ok(level !== undefined);
  const lines = summaryLines(profile, benchVerdict());
  assert.ok(lines.length >= 8 && lines.length <= 12, `${lines.length} lines`);
  const text = lines.join('\n');
  assert.ok(text.includes('search, 1 KiB docs, closed loop, 1 worker × concurrency 4'));
  assert.ok(text.includes(`p50 ${level.overhead.addedP50.toFixed(2)} ms   p99 ${level.overhead.addedP99.toFixed(2)} ms`));
  assert.ok(text.includes(`(${level.overhead.throughputRatio.toFixed(2)}×)`));
  assert.match(text, /pool reuse +\d+\.\d%/);
  assert.match(text, /peer \(nginx\/1\.24\.0\)/);
  assert.ok(text.includes(`CPU/request     osproxy ${(level.proxy.cpuUsPerRequest.hop as number).toFixed(1)} µs`));
  assert.ok(level.versusFloor !== undefined && level.versusPeer !== undefined);
  assert.ok(text.includes(`osproxy ÷ floor CPU ${(level.versusFloor.cpuPerRequest as number).toFixed(2)}×, throughput ${level.versusFloor.throughput.toFixed(2)}×`));
  assert.ok(text.includes(`osproxy ÷ nginx CPU ${(level.versusPeer.cpuPerRequest as number).toFixed(2)}×`));
  assert.ok(text.includes('idle RSS        78.0 MiB (1 worker)'));
  assert.ok(text.includes('verdict         FAIL (3 pass, 1 fail, 1 not measured)'));
  assert.ok(text.includes('FAIL added p99 latency: 7.50 ms, threshold ≤ 5.00 ms'));
  assert.ok(lines.every((l) => !l.includes('\n')));
});

test('summaryLines says what was not measured', () => {
  const profile = benchProfile();
  profile.profileLevel = { workers: 1, concurrency: 999 };
  profile.footprint = [];
  const text = summaryLines(profile, benchVerdict([])).join('\n');
  assert.ok(text.includes('profile level not measured'));
  assert.ok(text.includes('idle RSS        not measured'));
  assert.ok(text.includes('verdict         PASS (0 pass, 0 fail, 0 not measured)'));
});

test('the floor forwarder\'s RSS is shown beside the proxy\'s, in the summary and the footprint section', () => {
  const profile = benchProfile();
  profile.floorFootprint = { idleRssMib: 61.5, afterRoundsRssMib: 99.25, growthMib: 37.75 };
  const text = summaryLines(profile, benchVerdict([])).join('\n');
  assert.ok(text.includes('idle RSS        78.0 MiB (1 worker), growth 4.0 MiB; floor 61.5 MiB, growth 37.8 MiB'), text);
  const md = renderReport(profile, benchVerdict([]), []);
  assert.ok(md.includes('The floor forwarder, measured alike: 61.5 MiB idle, 99.3 MiB after its rounds (growth 37.8 MiB).'), md);
  delete profile.floorFootprint;
  assert.ok(!renderReport(profile, benchVerdict([]), []).includes('floor forwarder, measured alike'), 'a profile without the floor figures has no such line');
});
