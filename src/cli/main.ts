/**
 * The `osproxy` entry. `serve` — the command a deployment runs, in every worker and in the
 * `--workers` primary — is started without loading the rest of the CLI (commander and every other
 * command's code): its few flags are read with node:util, and only what it needs is imported
 * (serve-run.ts). Anything else, and a `serve` command line this reader does not take (`--help`,
 * a mistake), goes to the whole CLI (program.ts), which answers exactly as before.
 */
import { parseArgs } from 'node:util';
import type { ServeOptions } from './serve-run.ts';

/** `serve`'s own flags, or undefined when the line is not one this reader takes. */
export function serveArgs(argv: readonly string[]): ServeOptions | undefined {
  if (argv[0] !== 'serve') return undefined;
  try {
    const { values } = parseArgs({
      args: argv.slice(1),
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        listen: { type: 'string' },
        upstream: { type: 'string' },
        'log-level': { type: 'string' },
        workers: { type: 'string' },
      },
    });
    return { config: values.config, listen: values.listen, upstream: values.upstream, logLevel: values['log-level'], workers: values.workers };
  } catch {
    return undefined;
  }
}

const fast = serveArgs(process.argv.slice(2));
if (fast !== undefined) await (await import('./serve-run.ts')).serve(fast);
else await (await import('./program.ts')).runProgram(process.argv);
