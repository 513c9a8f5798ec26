import cluster, { type Worker } from 'node:cluster';

/*
 * Questions one worker of `serve --workers N` asks the others, through the primary: "do you hold
 * the explain record of request X?", "what are your break-glass rings?". A request lands on one
 * worker, but the operator asking about it may land on another (SPEC §6: `/_osproxy/explain/{id}`
 * finds a request whichever worker handled it). A worker that does not answer in time is skipped.
 */

const ASK = 'osproxy:peer-ask';
const QUERY = 'osproxy:peer-query';
const ANSWER = 'osproxy:peer-answer';
const REPLY = 'osproxy:peer-reply';
const COLLECT_TIMEOUT_MS = 2_000;

export type PeerQueryKind = 'explain' | 'breakglass';

interface Msg {
  type: string;
  id: number;
  kind?: PeerQueryKind;
  arg?: string;
  value?: unknown;
  values?: unknown[];
}

function isMsg(m: unknown, type: string): m is Msg {
  return typeof m === 'object' && m !== null && (m as Msg).type === type && typeof (m as Msg).id === 'number';
}

function send(w: Worker, m: Msg): void {
  if (w.isConnected()) w.send(m, () => {});
}

/** Primary side: forwards each worker's question to the other started workers and returns their answers. */
export function answerPeerQueries(started: () => Worker[]): void {
  const waiting = new Map<number, (from: Worker, value: unknown) => void>();
  let next = 0;
  cluster.on('message', (from: Worker, m: unknown) => {
    if (isMsg(m, ANSWER)) waiting.get(m.id)?.(from, m.value);
    if (!isMsg(m, ASK)) return;
    const others = started().filter((w) => w !== from);
    const id = next++;
    const values: unknown[] = [];
    let answered = 0;
    const done = (): void => {
      clearTimeout(timer);
      waiting.delete(id);
      send(from, { type: REPLY, id: m.id, values });
    };
    const timer = setTimeout(done, COLLECT_TIMEOUT_MS);
    waiting.set(id, (_w, value) => {
      if (value !== undefined && value !== null) values.push(value);
      if (++answered === others.length) done();
    });
    if (others.length === 0) return done();
    for (const w of others) send(w, { type: QUERY, id, kind: m.kind, arg: m.arg });
  });
}

/** A worker's side: answers the others' questions, and asks them its own (none when single-process). */
export class PeerQueries {
  private asker: ((kind: PeerQueryKind, arg: string) => Promise<unknown[]>) | undefined;

  /** What the other workers answer (empty when this process is the only one). */
  ask(kind: PeerQueryKind, arg = ''): Promise<unknown[]> {
    return this.asker === undefined ? Promise.resolve([]) : this.asker(kind, arg);
  }

  /** Joins the workers' conversation through the primary; `answer` gives this worker's answer. */
  join(answer: (kind: PeerQueryKind, arg: string) => unknown, timeoutMs = COLLECT_TIMEOUT_MS + 1_000): void {
    const pending = new Map<number, (values: unknown[]) => void>();
    process.on('message', (m: unknown) => {
      if (isMsg(m, REPLY)) pending.get(m.id)?.(m.values ?? []);
      if (isMsg(m, QUERY) && m.kind !== undefined) process.send?.({ type: ANSWER, id: m.id, value: answer(m.kind, m.arg ?? '') ?? null }, () => {});
    });
    let next = 0;
    this.asker = (kind, arg) =>
      new Promise((resolve) => {
        const id = next++;
        const settle = (values: unknown[]): void => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(values);
        };
        const timer = setTimeout(() => settle([]), timeoutMs);
        pending.set(id, settle);
        if (process.send === undefined) return settle([]);
        process.send({ type: ASK, id, kind, arg }, (err: Error | null) => {
          if (err) settle([]);
        });
      });
  }
}
