/**
 * The bench's `report.md` (verdict, per-level tables, hop cost against the floor and nginx, the
 * rounds, sweeps, footprint, CPU hot spots, peer latency comparison, charts) and the few lines
 * printed to the terminal at the end of a run.
 */
import { SIDE_ORDER, type Finding, type Footprint, type HopRatio, type LevelResult, type Overhead, type Profile, type SideResult, type Verdict } from './profile.ts';

const DASH = '—';
const missing = (v: number | null | undefined): v is null | undefined => v === null || v === undefined || !Number.isFinite(v);

/** Milliseconds with 2 decimals, e.g. "1.25". */
export const formatMs = (v: number | null | undefined): string => (missing(v) ? DASH : v.toFixed(2));
/** Requests per second: whole numbers with thousands separators, 1 decimal below 100. */
export const formatRps = (v: number | null | undefined): string =>
  missing(v) ? DASH : v.toLocaleString('en-US', { maximumFractionDigits: v < 100 ? 1 : 0, minimumFractionDigits: v < 100 ? 1 : 0 });
/** A ratio, e.g. "0.93×". */
export const formatRatio = (v: number | null | undefined): string => (missing(v) ? DASH : `${v.toFixed(2)}×`);
/** A fraction 0..1 as a percentage, e.g. "99.5%". */
export const formatFraction = (v: number | null | undefined): string => (missing(v) ? DASH : `${(v * 100).toFixed(1)}%`);
/** Mebibytes with 1 decimal, e.g. "61.3 MiB". */
export const formatMib = (v: number | null | undefined): string => (missing(v) ? DASH : `${v.toFixed(1)} MiB`);
/** CPU microseconds per request: 1 decimal below 100, whole numbers above, e.g. "42.5", "1,234". */
export const formatMicros = (v: number | null | undefined): string =>
  missing(v) ? DASH : v.toLocaleString('en-US', { maximumFractionDigits: v < 100 ? 1 : 0, minimumFractionDigits: v < 100 ? 1 : 0 });
/** A count with thousands separators. */
export const formatCount = (v: number): string => v.toLocaleString('en-US');

/** A size in bytes as B, KiB or MiB, e.g. "1 KiB", "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const trim = (v: number): string => String(Number(v.toFixed(1)));
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KiB`;
  return `${trim(bytes / (1024 * 1024))} MiB`;
}

/** A finding's figure in its unit: ms with 2 decimals, req/s, MiB, % (already a percentage), fraction (0..1 shown as %), ratios (unit "×"/"x"/"ratio"). */
export function formatValue(v: number | null, unit: string): string {
  if (missing(v)) return 'not measured';
  switch (unit) {
    case 'ms':
      return `${formatMs(v)} ms`;
    case 'req/s':
      return `${formatRps(v)} req/s`;
    case 'MiB':
      return formatMib(v);
    case '%':
      return `${v.toFixed(1)}%`;
    case 'fraction':
      return formatFraction(v);
    case '×':
    case 'x':
    case 'ratio':
      return formatRatio(v);
    default:
      return unit === '' ? String(Number(v.toFixed(2))) : `${Number(v.toFixed(2))} ${unit}`;
  }
}

const compare = (c: Finding['comparison']): string => (c === '<=' ? '≤' : '≥');
const outcome = (f: Finding): string => (f.pass === null ? 'not measured' : f.pass ? 'pass' : '**FAIL**');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
/** Escapes a table cell (pipes and line breaks would break the row). */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string[] {
  const sep = header.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [`| ${header.join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`), ''];
}

function profileLevel(profile: Profile): LevelResult | undefined {
  const { workers, concurrency } = profile.profileLevel;
  return profile.levels.find((l) => l.workers === workers && l.concurrency === concurrency);
}

function loopText(profile: Profile): string {
  return profile.mode === 'open' && profile.rate !== undefined ? `open loop at ${formatRps(profile.rate)} req/s` : `${profile.mode} loop`;
}

function budgetText(profile: Profile): string {
  const { seconds, requests, rounds } = profile.budget;
  const split = `in ${plural(rounds, 'interleaved round')} after the warm-up`;
  if (seconds !== undefined) return `${seconds} s per side and level ${split}`;
  if (requests !== undefined) return `${formatCount(requests)} requests per side and level ${split}`;
  return 'no budget recorded';
}

function environmentLines(profile: Profile): string[] {
  const env = profile.environment;
  const peer = env.peer !== null ? `peer ${env.peer}` : `no peer${env.peerNote !== undefined ? ` (${env.peerNote})` : ''}`;
  return [
    `Node ${env.node} on ${env.platform}, ${plural(env.cpus, 'CPU')}; upstream ${env.upstreamKind} (${env.upstream}); proxy ${env.proxy}; ${peer}.`,
    '',
    `${formatCount(profile.corpusDocs)} docs of ${formatBytes(profile.docSizeBytes)}; ${budgetText(profile)}; ` +
      `profile level ${plural(profile.profileLevel.workers, 'worker')} × concurrency ${profile.profileLevel.concurrency}; run took ${profile.durationSeconds.toFixed(0)} s.`,
    '',
  ];
}

function verdictSection(verdict: Verdict): string[] {
  const rows = verdict.findings.map((f) => [
    cell(f.title),
    formatValue(f.value, f.unit),
    `${compare(f.comparison)} ${formatValue(f.threshold, f.unit)}`,
    outcome(f),
  ]);
  return [
    '## Verdict',
    '',
    verdict.pass ? '**PASS**: no finding failed.' : `**FAIL**: ${plural(verdict.findings.filter((f) => f.pass === false).length, 'finding')} failed.`,
    '',
    ...table(['finding', 'value', 'threshold', 'result'], rows, ['l', 'r', 'r', 'l']),
  ];
}

function sideRow(level: LevelResult, side: SideResult, overhead: Overhead | undefined, docsPerRequest: number): string[] {
  const reuse = side.pool === undefined ? DASH : formatFraction(side.pool.reuseRate);
  return [
    String(level.concurrency),
    side.side,
    formatCount(side.requests),
    formatCount(side.errors),
    formatRps(side.throughput),
    ...(docsPerRequest > 1 ? [formatRps(side.throughput * docsPerRequest)] : []),
    formatMicros(side.cpuUsPerRequest.hop),
    formatMicros(side.cpuUsPerRequest.upstream),
    formatMs(side.latency.p50),
    formatMs(side.latency.p90),
    formatMs(side.latency.p99),
    formatMs(side.latency.max),
    overhead === undefined ? DASH : formatMs(overhead.addedP50),
    overhead === undefined ? DASH : formatMs(overhead.addedP99),
    overhead === undefined ? DASH : formatRatio(overhead.throughputRatio),
    reuse,
  ];
}

/** A level's sides in round order, each with its overhead over direct. */
function levelSides(l: LevelResult): [SideResult, Overhead | undefined][] {
  const of: Record<string, [SideResult | undefined, Overhead | undefined]> = {
    direct: [l.direct, undefined],
    proxy: [l.proxy, l.overhead],
    peer: [l.peer, l.peerOverhead],
    floor: [l.floor, l.floorOverhead],
  };
  return SIDE_ORDER.flatMap((s) => {
    const [side, overhead] = of[s];
    return side === undefined ? [] : [[side, overhead] as [SideResult, Overhead | undefined]];
  });
}

function levelsSection(profile: Profile): string[] {
  const docs = profile.docsPerRequest;
  const header = ['concurrency', 'side', 'requests', 'errors', 'req/s', ...(docs > 1 ? ['docs/s'] : []), 'hop CPU µs/req', 'upstream CPU µs/req', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'added p50 ms', 'added p99 ms', 'throughput ratio', 'pool reuse'];
  const out = [
    '## Levels',
    '',
    'Requests and latencies over all rounds; req/s and CPU per request (user + system from /proc: the side\'s own hop — osproxy with its workers, nginx, the floor — and the upstream behind it) are the median over the rounds. ' +
      'Added latency and throughput ratio are relative to direct at the same level; latencies in ms.',
    '',
  ];
  for (const workers of [...new Set(profile.levels.map((l) => l.workers))].sort((a, b) => a - b)) {
    const rows = profile.levels
      .filter((l) => l.workers === workers)
      .sort((a, b) => a.concurrency - b.concurrency)
      .flatMap((l) => levelSides(l).map(([side, overhead]) => sideRow(l, side, overhead, docs)));
    out.push(`### ${plural(workers, 'proxy worker')}`, '', ...table(header, rows, ['r', 'l']));
  }
  return out;
}

const HOP_NOTE =
  'The floor is a minimal node:http + undici forwarder doing one JSON round trip per response: what Node itself costs for the hop. ' +
  'Ratios are osproxy ÷ the other hop, from the median rounds; CPU is each hop\'s own processes, without the upstream.';

function hopCells(os: SideResult, other: SideResult | undefined, ratio: HopRatio | undefined): string[] {
  if (other === undefined || ratio === undefined) return [DASH, DASH, DASH];
  return [formatMicros(other.cpuUsPerRequest.hop), formatRatio(ratio.cpuPerRequest), formatRatio(ratio.throughput)];
}

function hopCostSection(profile: Profile): string[] {
  const levels = profile.levels.filter((l) => l.floor !== undefined || l.peer !== undefined);
  if (levels.length === 0) return [];
  const withPeer = levels.some((l) => l.peer !== undefined);
  const peerHeader = withPeer ? ['nginx CPU µs/req', 'CPU osproxy ÷ nginx', 'throughput osproxy ÷ nginx'] : [];
  const header = ['workers', 'concurrency', 'osproxy CPU µs/req', 'floor CPU µs/req', 'CPU osproxy ÷ floor', 'throughput osproxy ÷ floor', ...peerHeader];
  const rows = levels.map((l) => [
    String(l.workers),
    String(l.concurrency),
    formatMicros(l.proxy.cpuUsPerRequest.hop),
    ...hopCells(l.proxy, l.floor, l.versusFloor),
    ...(withPeer ? hopCells(l.proxy, l.peer, l.versusPeer) : []),
  ]);
  return ['## Hop cost: osproxy against the floor and nginx', '', HOP_NOTE, '', ...table(header, rows, ['r', 'r'])];
}

/** The figure a round's table shows for a side: the hop's CPU, or the upstream's for direct. */
const roundCpu = (side: SideResult, r: { cpuUsPerRequest: SideResult['cpuUsPerRequest'] }): string =>
  formatMicros(side.side === 'direct' ? r.cpuUsPerRequest.upstream : r.cpuUsPerRequest.hop);

function roundsSection(profile: Profile): string[] {
  const level = profileLevel(profile);
  if (level === undefined || profile.budget.rounds < 2) return [];
  const sides = levelSides(level).map(([side]) => side);
  const header = ['round', ...sides.flatMap((s) => [`${s.side} req/s`, `${s.side} CPU µs/req`])];
  const rows = Array.from({ length: profile.budget.rounds }, (_, k) => [
    String(k + 1),
    ...sides.flatMap((s) => {
      const r = s.rounds.find((x) => x.round === k + 1);
      return r === undefined ? [DASH, DASH] : [formatRps(r.throughput), roundCpu(s, r)];
    }),
  ]);
  rows.push(['median', ...sides.flatMap((s) => [formatRps(s.throughput), roundCpu(s, s)])]);
  const note = `The sides ran in turn, round after round (${sides.map((s) => s.side).join(', ')}, …). CPU is each hop's own, the upstream's for direct.`;
  return [`## Rounds at the profile level (${plural(level.workers, 'worker')} × concurrency ${level.concurrency})`, '', note, '', ...table(header, rows)];
}

function sweepSection(profile: Profile): string[] {
  if (profile.sweeps.length === 0) return [];
  const rows = profile.sweeps.map((s) => [
    String(s.workers),
    s.concurrencies.join(', '),
    formatRatio(s.tailAmplification.direct),
    formatRatio(s.tailAmplification.proxy),
    formatRatio(s.throughputScaling.direct),
    formatRatio(s.throughputScaling.proxy),
  ]);
  return [
    '## Concurrency sweeps',
    '',
    'Tail amplification: p99 at the highest concurrency ÷ p99 at the lowest. Throughput scaling: req/s at the highest ÷ at the lowest.',
    '',
    ...table(['workers', 'concurrencies', 'tail amp. direct', 'tail amp. proxy', 'throughput scaling direct', 'throughput scaling proxy'], rows, ['r', 'l']),
  ];
}

function footprintSection(profile: Profile): string[] {
  if (profile.footprint.length === 0) return [];
  const rows = profile.footprint.map((f) => [
    String(f.workers), formatMib(f.idleRssMib), formatMib(f.beforeSoakRssMib), formatCount(f.soakRequests), formatMib(f.justAfterSoakRssMib), formatMib(f.afterSoakRssMib), formatMib(f.growthMib),
  ]);
  const settle = profile.footprint[0].settleSeconds;
  const note =
    `Resident memory of the proxy (all processes): idle after start-up, 1 s after the timed runs, 1 s after the soak, and after the soak once ${settle} s ` +
    `without a request have passed (idle readings wait as long); growth = after soak − idle, both settled.`;
  const head = ['workers', 'idle RSS', 'RSS before soak', 'soak requests', 'RSS 1 s after soak', `RSS ${settle} s after soak`, 'growth'];
  return ['## Footprint', '', note, '', ...table(head, rows, ['r']), ...floorFootprintLines(profile)];
}

/** The floor forwarder's RSS, measured alike: what Node and undici alone take for the hop. */
function floorFootprintLines(profile: Profile): string[] {
  const f = profile.floorFootprint;
  if (f === undefined) return [];
  return ['', `The floor forwarder, measured alike: ${formatMib(f.idleRssMib)} idle, ${formatMib(f.afterRoundsRssMib)} after its rounds (growth ${formatMib(f.growthMib)}).`];
}

/** The terminal's RSS line: the proxy's idle figure, and the floor's beside it when measured. */
function rssLine(profile: Profile, fp: Footprint | undefined): string {
  const proxy = fp === undefined || missing(fp.idleRssMib) ? 'not measured' : `${formatMib(fp.idleRssMib)} (${plural(fp.workers, 'worker')})`;
  const floor = profile.floorFootprint;
  const growth = fp === undefined || missing(fp.growthMib) ? '' : `, growth ${formatMib(fp.growthMib)}`;
  if (floor === undefined || missing(floor.idleRssMib)) return `idle RSS        ${proxy}${growth}`;
  return `idle RSS        ${proxy}${growth}; floor ${formatMib(floor.idleRssMib)}, growth ${formatMib(floor.growthMib)}`;
}

function cpuSection(profile: Profile): string[] {
  const cpu = profile.cpuProfile;
  if (cpu === undefined) return [];
  const rows = cpu.top.map((h, i) => [String(i + 1), `\`${cell(h.name || '(anonymous)')}\``, cell(h.location), formatMs(h.selfMs), `${h.selfPercent.toFixed(1)}%`]);
  return [
    '## CPU profile',
    '',
    `Proxy CPU profile \`${cpu.file}\`, ${formatMs(cpu.totalMs)} ms sampled; top functions by self time:`,
    '',
    ...table(['#', 'function', 'location', 'self ms', 'self %'], rows, ['r', 'l', 'l']),
  ];
}

/** a ÷ b, or null when b is zero (e.g. the peer added no latency). */
const ratioOf = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function peerSection(profile: Profile): string[] {
  const levels = profile.levels.filter((l) => l.peer !== undefined && l.peerOverhead !== undefined);
  if (profile.environment.peer === null || levels.length === 0) return [];
  const rows = levels.map((l) => {
    const os = l.overhead;
    const peer = l.peerOverhead as Overhead;
    const peerRps = (l.peer as SideResult).throughput;
    return [
      String(l.workers),
      String(l.concurrency),
      formatMs(os.addedP50),
      formatMs(peer.addedP50),
      formatRatio(ratioOf(os.addedP50, peer.addedP50)),
      formatMs(os.addedP99),
      formatMs(peer.addedP99),
      formatRatio(ratioOf(os.addedP99, peer.addedP99)),
      formatRatio(ratioOf(l.proxy.throughput, peerRps)),
    ];
  });
  return [
    `## Peer comparison (${cell(profile.environment.peer)})`,
    '',
    'osproxy against the plain reverse proxy at the same levels; ratios are osproxy ÷ peer (below 1× osproxy is cheaper; "—" when the peer added nothing).',
    '',
    ...table(
      ['workers', 'concurrency', 'osproxy added p50 ms', 'peer added p50 ms', 'p50 ratio', 'osproxy added p99 ms', 'peer added p99 ms', 'p99 ratio', 'throughput osproxy ÷ peer'],
      rows,
      ['r', 'r'],
    ),
  ];
}

const CHART_TITLES: Record<string, string> = { latency: 'Latency at the profile level', sweep: 'Latency vs concurrency', throughput: 'Throughput', cpu: 'CPU per request' };

function chartsSection(charts: string[]): string[] {
  const pngs = charts.filter((c) => c.endsWith('.png'));
  if (pngs.length === 0) return [];
  const out = ['## Charts', ''];
  for (const png of pngs) {
    const stem = png.replace(/^.*\//, '').replace(/\.png$/, '');
    const title = CHART_TITLES[stem] ?? stem;
    out.push(`### ${title}`, '', `![${title}](${png})`, '');
  }
  return out;
}

/** The Markdown report of a run; `charts` are the file names written next to it (PNGs are linked). */
export function renderReport(profile: Profile, verdict: Verdict, charts: string[]): string {
  const lines = [
    `# osproxy bench: ${profile.workload}, ${formatBytes(profile.docSizeBytes)} docs, ${loopText(profile)}`,
    '',
    `Run started ${profile.startedAt}.`,
    '',
    ...environmentLines(profile),
    ...verdictSection(verdict),
    ...levelsSection(profile),
    ...hopCostSection(profile),
    ...roundsSection(profile),
    ...sweepSection(profile),
    ...footprintSection(profile),
    ...cpuSection(profile),
    ...peerSection(profile),
    ...chartsSection(charts),
  ];
  while (lines.at(-1) === '') lines.pop();
  return lines.join('\n') + '\n';
}

/** One terminal line for osproxy against another hop: its CPU and throughput, and the ratios. */
function hopLine(name: string, other: SideResult | undefined, ratio: HopRatio | undefined): string[] {
  if (other === undefined || ratio === undefined) return [];
  const figures = `${formatMicros(other.cpuUsPerRequest.hop)} µs/req, ${formatRps(other.throughput)} req/s`;
  return [`${name.padEnd(15)} ${figures}: osproxy ÷ ${name} CPU ${formatRatio(ratio.cpuPerRequest)}, throughput ${formatRatio(ratio.throughput)}`];
}

function levelLines(profile: Profile, level: LevelResult): string[] {
  const lines = [
    `added latency   p50 ${formatMs(level.overhead.addedP50)} ms   p99 ${formatMs(level.overhead.addedP99)} ms`,
    `throughput      ${formatRps(level.proxy.throughput)} req/s via proxy, ${formatRps(level.direct.throughput)} direct (${formatRatio(level.overhead.throughputRatio)})`,
    `pool reuse      ${level.proxy.pool === undefined ? 'not measured' : formatFraction(level.proxy.pool.reuseRate)}`,
  ];
  if (level.peerOverhead !== undefined && profile.environment.peer !== null) {
    lines.push(`peer (${profile.environment.peer})  added p50 ${formatMs(level.peerOverhead.addedP50)} ms   p99 ${formatMs(level.peerOverhead.addedP99)} ms   (${formatRatio(level.peerOverhead.throughputRatio)})`);
  }
  const upstream = `upstream ${formatMicros(level.proxy.cpuUsPerRequest.upstream)} µs (direct ${formatMicros(level.direct.cpuUsPerRequest.upstream)} µs)`;
  lines.push(`CPU/request     osproxy ${formatMicros(level.proxy.cpuUsPerRequest.hop)} µs, ${upstream}`);
  lines.push(...hopLine('floor', level.floor, level.versusFloor), ...hopLine('nginx', level.peer, level.versusPeer));
  const errors = levelSides(level).reduce((n, [side]) => n + side.errors, 0);
  if (errors > 0) lines.push(`errors          ${formatCount(errors)} at the profile level`);
  return lines;
}

/** A few plain lines for the terminal: the profile level's overhead, reuse, CPU against the floor and nginx, idle RSS and the verdict. */
export function summaryLines(profile: Profile, verdict: Verdict): string[] {
  const { workers, concurrency } = profile.profileLevel;
  const lines = [`${profile.workload}, ${formatBytes(profile.docSizeBytes)} docs, ${loopText(profile)}, ${plural(workers, 'worker')} × concurrency ${concurrency}`];
  const level = profileLevel(profile);
  lines.push(...(level === undefined ? ['profile level not measured'] : levelLines(profile, level)));
  const fp = profile.footprint.find((f) => f.workers === workers) ?? profile.footprint[0];
  lines.push(rssLine(profile, fp));
  const count = (p: boolean | null): number => verdict.findings.filter((f) => f.pass === p).length;
  lines.push(`verdict         ${verdict.pass ? 'PASS' : 'FAIL'} (${count(true)} pass, ${count(false)} fail, ${count(null)} not measured)`);
  for (const f of verdict.findings.filter((x) => x.pass === false)) {
    lines.push(`  FAIL ${f.title}: ${formatValue(f.value, f.unit)}, threshold ${compare(f.comparison)} ${formatValue(f.threshold, f.unit)}`);
  }
  return lines;
}
