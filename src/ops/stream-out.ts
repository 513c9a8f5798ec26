import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OpContext } from './context.ts';

/**
 * Pipes an upstream body through a rewriting transform to the client as a 200 JSON stream.
 * A failure mid-stream cuts the connection (the status is already sent): never a partial leak.
 */
export async function streamTransformed(ctx: OpContext, body: NodeJS.ReadableStream, transform: Transform, what: string): Promise<void> {
  let bytes = 0;
  transform.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  ctx.res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  try {
    await pipeline(body, transform, ctx.res);
  } catch (e) {
    ctx.services.log.warn({ err: e, request_id: ctx.id }, `${what} response stream failed`);
    ctx.res.destroy();
  }
  ctx.addBytesOut(bytes);
}
