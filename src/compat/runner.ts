// Plays stories against a server: prologues (must succeed), chapters in order, epilogues (always,
// as cleanup). Results are per chapter; prologue/epilogue problems are attached to chapters or
// reported as warnings, never thrown.
import { setTimeout as sleep } from 'node:timers/promises';
import { loadStories, type Chapter, type Step, type Story, type StoryFile, type SupplementalStep } from './story.ts';
import { buildRequest, sendRequest, type ActualResponse, type BuiltRequest, type SendOptions } from './request.ts';
import { checkResponse, type Expectation } from './match.ts';
import { extractOutputs, StoryOutputs } from './outputs.ts';
import { DEFAULT_TARGET, gateReason, type Target } from './gating.ts';

/**
 * Chapters known not to pass, with why: keys are `storyRelPath#synopsis`
 * (e.g. `indices/doc.yaml#Create a document.`, which covers every chapter with that synopsis)
 * or a bare `storyRelPath` for the whole story.
 */
export type SkipList = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

export type ChapterStatus = 'pass' | 'fail' | 'skip';

export interface ChapterResult {
  /** Story path relative to the stories directory, `/`-separated. */
  story: string;
  synopsis: string;
  status: ChapterStatus;
  /** One line: why it failed or was skipped. */
  reason?: string;
  /** Detail lines for a failure, e.g. `hits.total.value: expected 1, got 2`. */
  diff?: string[];
  ms: number;
}

/** A problem that does not fail a chapter (an epilogue that did not clean up as expected). */
export interface StoryWarning {
  story: string;
  message: string;
}

export interface CompatTotals {
  passed: number;
  failed: number;
  skipped: number;
}

export interface CompatResult {
  chapters: ChapterResult[];
  warnings: StoryWarning[];
  totals: CompatTotals;
  ms: number;
}

export interface RunOptions {
  /** Server to test, e.g. `http://127.0.0.1:9201`; a path prefix is kept. */
  baseUrl: string;
  /** Defaults to ../shared/compat/tests/default. */
  storiesDir?: string;
  /** Sent with every request, e.g. `{ authorization: 'Bearer …' }` to run as a tenant. */
  headers?: Record<string, string>;
  /** Only stories whose relative path contains this substring. */
  filter?: string;
  skip?: SkipList;
  /** Server version and distribution that `version` / `distributions` gates are checked against. */
  target?: Target;
  timeoutMs?: number;
  /** Called as each chapter finishes, for streaming output. */
  onChapter?: (result: ChapterResult) => void;
}

interface RunContext {
  baseUrl: string;
  send: SendOptions;
  skip: SkipList;
  target: Target;
  onChapter: (result: ChapterResult) => void;
}

/** Loads the stories and plays them one after another (they share index names, so not in parallel). */
export async function runStories(opts: RunOptions): Promise<CompatResult> {
  const started = performance.now();
  const files = (await loadStories(opts.storiesDir)).filter((f) => opts.filter === undefined || f.relPath.includes(opts.filter));
  const ctx: RunContext = {
    baseUrl: opts.baseUrl,
    send: { headers: opts.headers, timeoutMs: opts.timeoutMs },
    skip: opts.skip ?? {},
    target: opts.target ?? DEFAULT_TARGET,
    onChapter: opts.onChapter ?? (() => {}),
  };
  const chapters: ChapterResult[] = [];
  const warnings: StoryWarning[] = [];
  for (const file of files) {
    const r = await runStoryFile(file, ctx);
    chapters.push(...r.chapters);
    warnings.push(...r.warnings);
  }
  return { chapters, warnings, totals: countTotals(chapters), ms: Math.round(performance.now() - started) };
}

export function countTotals(chapters: ChapterResult[]): CompatTotals {
  const count = (s: ChapterStatus): number => chapters.filter((c) => c.status === s).length;
  return { passed: count('pass'), failed: count('fail'), skipped: count('skip') };
}

function lookupSkip(skip: SkipList, key: string): string | undefined {
  return skip instanceof Map ? skip.get(key) : (skip as Readonly<Record<string, string>>)[key];
}

interface StoryRun {
  chapters: ChapterResult[];
  warnings: StoryWarning[];
}

async function runStoryFile(file: StoryFile, ctx: RunContext): Promise<StoryRun> {
  const story = file.relPath;
  if (!file.ok) {
    const result: ChapterResult = { story, synopsis: '(story file)', status: 'fail', reason: 'invalid story', diff: file.problems, ms: 0 };
    ctx.onChapter(result);
    return { chapters: [result], warnings: [] };
  }
  const skipped = lookupSkip(ctx.skip, story) ?? gateReason(file.story, ctx.target);
  if (skipped !== undefined) {
    const chapters = file.story.chapters.map((c): ChapterResult => ({ story, synopsis: c.synopsis, status: 'skip', reason: skipped, ms: 0 }));
    chapters.forEach(ctx.onChapter);
    return { chapters, warnings: [] };
  }
  return runStory(story, file.story, ctx);
}

async function runStory(story: string, s: Story, ctx: RunContext): Promise<StoryRun> {
  const outputs = new StoryOutputs();
  const prologueFailure = await runPrologues(s.prologues, outputs, ctx);
  const chapters: ChapterResult[] = [];
  for (const chapter of s.chapters) {
    const result = await runChapter(story, chapter, prologueFailure, outputs, ctx);
    ctx.onChapter(result);
    chapters.push(result);
  }
  const warnings = (await runEpilogues(s.epilogues, outputs, ctx)).map((message) => ({ story, message }));
  return { chapters, warnings };
}

/** The first prologue failure as one line, or undefined when all succeeded. */
async function runPrologues(steps: SupplementalStep[], outputs: StoryOutputs, ctx: RunContext): Promise<string | undefined> {
  for (const step of steps) {
    if (gateReason(step, ctx.target) !== undefined) continue;
    const problems = await playStep(step, supplementalExpectation(step), outputs, ctx);
    if (problems.length > 0) return `prologue ${describeStep(step)} failed: ${problems.join('; ')}`;
  }
  return undefined;
}

/** Every epilogue runs whatever happened before; returns their problems as warnings. */
async function runEpilogues(steps: SupplementalStep[], outputs: StoryOutputs, ctx: RunContext): Promise<string[]> {
  const warnings: string[] = [];
  for (const step of steps) {
    if (gateReason(step, ctx.target) !== undefined) continue;
    const problems = await playStep(step, supplementalExpectation(step), outputs, ctx);
    if (problems.length > 0) warnings.push(`epilogue ${describeStep(step)}: ${problems.join('; ')}`);
  }
  return warnings;
}

function supplementalExpectation(step: SupplementalStep): Expectation {
  return { status: step.status ?? [200, 201] };
}

async function runChapter(
  story: string,
  chapter: Chapter,
  prologueFailure: string | undefined,
  outputs: StoryOutputs,
  ctx: RunContext,
): Promise<ChapterResult> {
  const base = { story, synopsis: chapter.synopsis };
  const skipReason = chapterSkipReason(story, chapter, ctx);
  if (skipReason !== undefined) return { ...base, status: 'skip', reason: skipReason, ms: 0 };
  if (prologueFailure !== undefined) return { ...base, status: 'fail', reason: prologueFailure, ms: 0 };
  const started = performance.now();
  const problems = await playStep(chapter, chapter.response ?? {}, outputs, ctx);
  const ms = Math.round(performance.now() - started);
  if (problems.length === 0) return { ...base, status: 'pass', ms };
  return { ...base, status: 'fail', reason: `${chapter.method} ${chapter.path}`, diff: problems, ms };
}

function chapterSkipReason(story: string, chapter: Chapter, ctx: RunContext): string | undefined {
  const listed = lookupSkip(ctx.skip, `${story}#${chapter.synopsis}`);
  if (listed !== undefined) return listed;
  if (chapter.pending !== undefined) return `pending: ${chapter.pending}`;
  return gateReason(chapter, ctx.target);
}

/**
 * Sends one step (retrying per `retry`), checks the response and stores its outputs.
 * Returns the problems; an empty list means success.
 */
async function playStep(step: Step, expect: Expectation, outputs: StoryOutputs, ctx: RunContext): Promise<string[]> {
  const attempts = 1 + Math.max(0, step.retry?.count ?? 0);
  let problems: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(step.retry?.wait ?? 1000);
    problems = await attemptStep(step, expect, outputs, ctx);
    if (problems.length === 0) break;
  }
  return problems;
}

async function attemptStep(step: Step, expect: Expectation, outputs: StoryOutputs, ctx: RunContext): Promise<string[]> {
  let req: BuiltRequest;
  let expected: Expectation;
  try {
    req = buildRequest(step, outputs);
    // Expected payloads may refer to earlier outputs too (e.g. an `_id` saved by a prologue).
    expected = expect.payload === undefined ? expect : { ...expect, payload: outputs.resolve(expect.payload) };
  } catch (e) {
    return [(e as Error).message];
  }
  let res: ActualResponse;
  try {
    res = await sendRequest(ctx.baseUrl, req, ctx.send);
  } catch (e) {
    return [`request failed: ${(e as Error).message}`];
  }
  const problems = checkResponse(expected, res);
  if (problems.length > 0 || step.output === undefined || step.id === undefined) return problems;
  try {
    outputs.set(step.id, extractOutputs(step.output, res));
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

function describeStep(step: Step): string {
  return `${step.method} ${step.path}`;
}
