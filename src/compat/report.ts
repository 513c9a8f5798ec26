// Human-readable output of a compat run: one line per chapter, details indented under failures.
import type { ChapterResult, CompatResult, CompatTotals, StoryWarning } from './runner.ts';

/** `PASS story › synopsis`, `FAIL story › synopsis — reason` plus indented diff, `SKIP … (reason)`. */
export function formatChapter(r: ChapterResult): string {
  const title = `${r.story} › ${r.synopsis}`;
  switch (r.status) {
    case 'pass':
      return `PASS ${title} (${r.ms} ms)`;
    case 'skip':
      return `SKIP ${title} (${r.reason ?? 'skipped'})`;
    case 'fail': {
      const head = `FAIL ${title}${r.reason ? ` — ${r.reason}` : ''}`;
      return [head, ...(r.diff ?? []).map((line) => `    ${line}`)].join('\n');
    }
  }
}

export function formatWarning(w: StoryWarning): string {
  return `WARN ${w.story} › ${w.message}`;
}

export function formatTotals(t: CompatTotals): string {
  return `compat: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}

/** The whole report as text (chapters, then warnings, then the total line). */
export function formatReport(result: CompatResult): string {
  return [...result.chapters.map(formatChapter), ...result.warnings.map(formatWarning), formatTotals(result.totals)].join('\n');
}
