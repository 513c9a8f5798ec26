// A node:test reporter that writes one JSON line per failed test (not per suite that failed
// because of one): its file, its name with the suites around it, and the start of its error.
// scripts/test.mjs reads them to end the run with a compact list of what failed.
import { relative } from 'node:path';

export default async function* failedTests(source) {
  /** file → the names of the tests started at each nesting level. */
  const stacks = new Map();
  for await (const event of source) {
    const { name, nesting, file } = event.data ?? {};
    if (event.type === 'test:start') {
      const stack = stacks.get(file) ?? [];
      stack.length = nesting;
      stack.push(name);
      stacks.set(file, stack);
    } else if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
      const stack = (stacks.get(file) ?? []).slice(0, nesting);
      const error = event.data.details?.error;
      const cause = error?.cause ?? error;
      // The first two non-empty lines: an assertion's headline and its values.
      const lines = String(cause?.message ?? error?.message ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
      const message = lines.slice(0, 2).join(' ').slice(0, 200);
      const where = file === undefined ? '(unknown file)' : relative(process.cwd(), file);
      yield JSON.stringify({ file: where, name: [...stack, name].join(' › '), message }) + '\n';
    }
  }
}
