/**
 * A loopback port nobody listens on and that no connection will take meanwhile: chosen below the
 * kernel's ephemeral range, which is where every outgoing connection's local port and every
 * `listen(0)` of the suite come from. A released ephemeral port can be handed at once to another
 * test's connection (a kept-alive one then holds it for seconds), so a test that later binds the
 * port itself must not use one.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port of the ephemeral range (Linux's file; the IANA range's start elsewhere). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2048 ? low : 49152;
  } catch {
    return 49152;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port in [1024, ephemeral low), tried at random; it stays free unless bound explicitly. */
export async function quietPort(): Promise<number> {
  const low = ephemeralLow();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 1024 + Math.floor(Math.random() * (low - 1024));
    if (await isFree(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}
