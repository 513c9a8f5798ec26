/**
 * `POST /_bulk`, `/{i}/_bulk`, streamed (SPEC §4.5, §4.6): the body is parsed line by line from the
 * socket (never held whole), each item is rewritten as it arrives and appended to its target's
 * batch (bulk-batcher.ts); the answer lists the items in request order (bulk-response.ts).
 *
 * Failures:
 * - a line longer than `limits.max_bulk_line_bytes` fails its item only (400
 *   `illegal_argument_exception` naming the line). If the over-long line is in action position its
 *   action is unknown: it is reported as an `index` item, and the next line is taken as that item's
 *   document unless it parses as an action line;
 * - a malformed action line (or a missing last document line) fails the whole request with 400
 *   like OpenSearch as long as nothing has been sent upstream yet. Once a batch was sent (the 200
 *   answer has begun), it cannot: the items not yet sent and the malformed line itself fail per
 *   item, the rest of the body is read and discarded unparsed, and `errors` is true.
 */
import { isUtf8 } from 'node:buffer';
import { testBreak } from '../core/test-break.ts';
import { asClientError, illegalArgument, OsproxyError, validationFailed } from '../http/errors.ts';
import { counted } from '../stream/counted.ts';
import { ndjsonLineBatches } from '../stream/ndjson-lines.ts';
import { quickAction } from './bulk-action.ts';
import { BulkBatcher } from './bulk-batcher.ts';
import { BulkTargets, itemError, looksLikeAction, parseAction, prepareItem, type Item, type ParsedAction } from './bulk-parse.ts';
import { OrderedItems } from './bulk-response.ts';
import type { OpContext } from './context.ts';
import { streamReply, type Reply } from '../http/reply.ts';
import { checkContentType, utf8Text } from './json-body.ts';
import { explainTargets } from './targets.ts';

/** Results held before the answer begins, past which it begins anyway (memory stays bounded). */
const MAX_HELD_BEFORE_COMMIT = 10_000;

function lineTooLong(lineNo: number, max: number): OsproxyError {
  return illegalArgument('bulk_line_too_long', `bulk line [${lineNo}] is longer than the limit of [${max}] bytes`);
}

/**
 * An action line as text, as utf8Text decodes it (invalid UTF-8 throws, a leading BOM is dropped)
 * but without its memo: every line is a new buffer.
 */
function actionText(line: Buffer): string {
  return line[0] !== 0xef && isUtf8(line) ? line.toString('utf8') : utf8Text(line);
}

/** The item shell of an action that failed before its tenancy rewrite. */
function shellOf(ctx: OpContext, p: ParsedAction | undefined): Item {
  const lindex = p !== undefined && typeof p.meta._index === 'string' ? p.meta._index : (ctx.scope.defaultIndex() ?? '');
  const id = p?.meta._id;
  return { action: p?.action ?? 'index', lindex, id: id === undefined || id === null ? undefined : String(id) };
}

/** Resolves with the streamed 200 answer once it begins; a request-level error before that rejects. */
export function bulk(ctx: OpContext): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const out = new OrderedItems(() => resolve(streamReply(200, out.stream)));
    runBulk(ctx, out).catch((e: unknown) => {
      if (!out.committed) reject(e);
      else out.stream.destroy(e instanceof Error ? e : new Error(String(e)));
    });
  });
}

async function runBulk(ctx: OpContext, out: OrderedItems): Promise<void> {
  const started = Date.now();
  checkContentType(ctx);
  const limits = ctx.services.config.limits;
  const maxLineBytes = limits.max_bulk_line_bytes ?? limits.max_body_bytes;
  const batcher = new BulkBatcher(ctx, { docs: limits.bulk_batch_docs, bytes: limits.bulk_batch_bytes, window: limits.bulk_window }, (pos, entry) => out.set(pos, entry), () => out.begin());
  let pos = 0;
  const fail = (p: ParsedAction | undefined, e: OsproxyError): void => out.set(pos++, itemError(shellOf(ctx, p), e, ctx.id));
  const targets = new BulkTargets(ctx);
  const queue = (item: Item): Promise<void> | undefined => {
    if (item.error === undefined) return batcher.add(pos++, item);
    out.set(pos++, itemError(item, item.error, ctx.id));
    return undefined;
  };
  /** An item prepared and queued; the promise only when something had to be waited for (most items: none). */
  const accept = (p: ParsedAction): Promise<void> | undefined => {
    if (p.action === 'index' && testBreak('drop-bulk-item')) {
      const shell = shellOf(ctx, p);
      out.set(pos++, { index: { _index: shell.lindex, _id: shell.id ?? '', _version: 1, result: 'created', status: 201 } });
      return undefined;
    }
    const item = prepareItem(ctx, p, targets);
    return item instanceof Promise ? item.then(queue) : queue(item);
  };
  /** A request-level error: thrown while nothing is committed, else reported per item. */
  let broken = false;
  const breakOff = (e: unknown, p?: ParsedAction): void => {
    if (!out.committed) throw e;
    broken = true;
    const shaped = asClientError(e);
    batcher.failPending(shaped);
    fail(p, shaped);
  };

  let pending: ParsedAction | undefined; // an action waiting for its document line
  let skipDoc = false; // an over-long action line: its document line (if any) is skipped
  // A chunk's lines are handled in one go: a promise is awaited only when something has to wait.
  let bytesIn = 0;
  for await (const lines of ndjsonLineBatches(counted(ctx.req, (n) => (bytesIn += n)), { maxLineBytes, skipLongLines: true })) {
    for (const { line, lineNo, tooLong } of lines) {
      if (broken) continue; // drain the rest of the body
      if (tooLong === true) {
        fail(pending, lineTooLong(lineNo, maxLineBytes));
        skipDoc = pending === undefined;
        pending = undefined;
      } else if (pending !== undefined) {
        const p = pending;
        pending = undefined;
        try {
          if (!isUtf8(line)) utf8Text(line); // invalid UTF-8 fails the request, like OpenSearch's parse_exception
        } catch (e) {
          breakOff(e, p);
          continue;
        }
        p.doc = line;
        const accepted = accept(p);
        if (accepted !== undefined) await accepted;
      } else {
        let text: string | undefined;
        let action: ParsedAction | undefined;
        try {
          if (skipDoc) {
            skipDoc = false;
            text = actionText(line);
            if (!looksLikeAction(text)) continue;
            action = parseAction(text, lineNo);
          } else {
            action = (isUtf8(line) ? quickAction(line, lineNo) : undefined) ?? parseAction(actionText(line), lineNo);
          }
        } catch (e) {
          breakOff(e);
          continue;
        }
        if (action.action === 'delete') {
          const accepted = accept(action);
          if (accepted !== undefined) await accepted;
        } else pending = action;
      }
      if (!out.committed && out.held > MAX_HELD_BEFORE_COMMIT) out.begin();
      const drained = out.drained();
      if (drained !== undefined) await drained;
    }
  }
  if (pending !== undefined && !broken) {
    breakOff(illegalArgument('malformed_bulk', 'The bulk request must be terminated by a newline [\\n]'), pending);
  }
  ctx.addBytesIn(bytesIn);
  explainTargets(ctx, targets.all());
  if (pos === 0) throw validationFailed('no_requests', 'Validation Failed: 1: no requests added;');
  await batcher.finish();
  out.end(Date.now() - started);
}
