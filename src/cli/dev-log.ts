/**
 * `osproxy dev`'s terminal log: the proxy's pino JSON lines turned into one short line each,
 * `12:03:04 GET /orders/_search → 200 acme 3.1 ms` for a request, `12:03:04 WARN <message>` for
 * anything else (production keeps the JSON).
 */
import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

type Record_ = Record<string, unknown>;

function clock(time: unknown): string {
  const d = typeof time === 'number' ? new Date(time) : new Date();
  return d.toTimeString().slice(0, 8);
}

function ms(timings: unknown): string {
  const total = typeof timings === 'object' && timings !== null ? (timings as { total?: unknown }).total : undefined;
  return typeof total === 'number' ? `${total < 10 ? total.toFixed(1) : Math.round(total)} ms` : '';
}

/** One log record as a terminal line. */
export function devLogLine(rec: Record_): string {
  const at = clock(rec.time);
  if (rec.msg === 'request') {
    const who = typeof rec.tenant === 'string' ? rec.tenant : '-';
    return `${at} ${String(rec.method)} ${String(rec.path ?? rec.endpoint)} → ${String(rec.status)} ${who} ${ms(rec.ms)}`.trimEnd();
  }
  const level = LEVELS[rec.level as number] ?? 'LOG';
  const detail = Object.entries(rec)
    .filter(([k]) => !['level', 'time', 'pid', 'hostname', 'msg'].includes(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${at} ${level} ${String(rec.msg ?? '')}${detail === '' ? '' : ` (${detail})`}`;
}

/**
 * A pino destination writing `devLogLine`s to `out`; lines logged before `release()` are held
 * back, so that dev's machine-readable address line is the first line of its output.
 */
export function devLogStream(out: NodeJS.WritableStream): { stream: Writable; release(): void } {
  let partial = '';
  let held: string[] | undefined = [];
  const emit = (text: string): void => {
    if (held === undefined) out.write(text);
    else held.push(text);
  };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') continue;
        try {
          emit(devLogLine(JSON.parse(line) as Record_) + '\n');
        } catch {
          emit(line + '\n');
        }
      }
      done();
    },
  });
  return {
    stream,
    release() {
      for (const text of held ?? []) out.write(text);
      held = undefined;
    },
  };
}
