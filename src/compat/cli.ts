// `osproxy compat`: plays the API stories against a server and reports per chapter.
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { parse as parseYaml } from 'yaml';
import { formatChapter, formatTotals, formatWarning } from './report.ts';

interface CompatOptions {
  url: string;
  stories?: string;
  header: Record<string, string>;
  filter?: string;
  skipList?: string;
  json?: boolean;
}

/** `Name: value` → accumulated into a header map (repeatable option). */
export function parseHeaderOption(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const colon = value.indexOf(':');
  const name = colon > 0 ? value.slice(0, colon).trim() : '';
  if (name === '') throw new InvalidArgumentError(`expected 'Name: value', got '${value}'`);
  return { ...previous, [name.toLowerCase()]: value.slice(colon + 1).trim() };
}

/** A YAML (or JSON) mapping of `storyRelPath#synopsis` or `storyRelPath` to the reason. */
export async function readSkipList(file: string): Promise<Record<string, string>> {
  const doc: unknown = parseYaml(await readFile(file, 'utf8'));
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file}: expected a mapping of chapter key to reason`);
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, String(v)]));
}

export function compatCommand(): Command {
  return new Command('compat')
    .description('play the OpenSearch API test stories against a server (SPEC §9)')
    .requiredOption('--url <url>', 'server to test, e.g. http://127.0.0.1:9201')
    .option('--stories <dir>', 'stories directory (default: ../shared/compat/tests/default)')
    .option('--header <header>', "extra request header 'Name: value' (repeatable)", parseHeaderOption, {})
    .option('--filter <substring>', 'only stories whose relative path contains this')
    .option('--skip-list <file>', 'YAML mapping of "story.yaml#Synopsis." (or "story.yaml") to the reason it is skipped')
    .option('--json', 'print the full result as JSON instead of lines')
    .action(async (opts: CompatOptions) => {
      const skip = opts.skipList === undefined ? undefined : await readSkipList(opts.skipList);
      const { runStories } = await import('./runner.ts'); // on demand: the runner is not needed by other commands
      const result = await runStories({
        baseUrl: opts.url,
        storiesDir: opts.stories,
        headers: opts.header,
        filter: opts.filter,
        skip,
        // Lines stream as chapters finish; JSON needs the whole result.
        onChapter: opts.json ? undefined : (r) => console.log(formatChapter(r)),
      });
      if (opts.json) console.log(JSON.stringify(result, null, 2));
      else {
        for (const w of result.warnings) console.log(formatWarning(w));
        console.log(formatTotals(result.totals));
      }
      if (result.totals.failed > 0) process.exitCode = 1;
    });
}
