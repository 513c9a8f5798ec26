// Story files: types mirroring ../shared/compat/json_schemas/test_story.schema.yaml, plus loading
// and a hand-written structural check (a broken story should fail loudly, not run half-parsed).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../core/project-root.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Scalar = string | number | boolean;
export type Parameter = Scalar | Scalar[];

export const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface StoryRequest {
  content_type?: string;
  headers?: Record<string, Scalar>;
  payload?: Json;
}

export interface ExpectedResponse {
  status?: number | number[];
  content_type?: string;
  payload?: Json;
}

/** Where to read an output value: `payload.a.b[0]` or `headers.name`, optionally with a default. */
export type OutputSpec = string | { path: string; default?: Scalar };

export interface Distributions {
  included?: string[];
  excluded?: string[];
}

export interface Retry {
  count: number;
  wait?: number;
}

/** What every request-making step has (schema: ChapterRequest). */
export interface Step {
  id?: string;
  path: string;
  method: HttpMethod;
  parameters?: Record<string, Parameter>;
  request?: StoryRequest;
  output?: Record<string, OutputSpec>;
  version?: string;
  distributions?: Distributions;
  retry?: Retry;
}

export interface Chapter extends Step {
  synopsis: string;
  pending?: string;
  response?: ExpectedResponse;
}

/** Prologue or epilogue; `status` lists acceptable codes (default [200, 201]). */
export interface SupplementalStep extends Step {
  status?: number[];
}

export interface Story {
  description: string;
  prologues: SupplementalStep[];
  chapters: Chapter[];
  epilogues: SupplementalStep[];
  version?: string;
  distributions?: Distributions;
}

/** One file of the stories directory: parsed, or the list of reasons it could not be. */
export type StoryFile =
  | { relPath: string; ok: true; story: Story }
  | { relPath: string; ok: false; problems: string[] };

/** ../shared/compat/tests/default, the sibling of the repository root. */
export const DEFAULT_STORIES_DIR = join(projectRoot(), '../shared/compat/tests/default/');

/** All `*.yaml` / `*.yml` files below `dir`, sorted by relative path (`/`-separated). */
export async function loadStories(dir: string = DEFAULT_STORIES_DIR): Promise<StoryFile[]> {
  const files = (await listYamlFiles(dir)).map((f) => ({ abs: f, rel: relative(dir, f).split(sep).join('/') }));
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return Promise.all(files.map(async (f) => parseStory(f.rel, await readFile(f.abs, 'utf8'))));
}

async function listYamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listYamlFiles(p)));
    else if (/\.ya?ml$/.test(entry.name)) out.push(p);
  }
  return out;
}

/** Parses and checks one story's text; `relPath` only labels it. */
export function parseStory(relPath: string, text: string): StoryFile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return { relPath, ok: false, problems: [`YAML: ${(e as Error).message}`] };
  }
  const problems: string[] = [];
  const story = checkStory(doc, problems);
  return problems.length === 0 && story ? { relPath, ok: true, story } : { relPath, ok: false, problems };
}

// ---------------------------------------------------------------------------------------------
// Structural checks. Each check pushes human-readable problems prefixed with a location.

type Obj = Record<string, unknown>;

const STORY_KEYS = ['$schema', 'description', 'prologues', 'epilogues', 'chapters', 'version', 'distributions', 'warnings'];
const STEP_KEYS = ['id', 'path', 'method', 'parameters', 'request', 'output', 'version', 'distributions', 'retry'];
const CHAPTER_KEYS = [...STEP_KEYS, 'synopsis', 'pending', 'response', 'warnings'];
const SUPPLEMENTAL_KEYS = [...STEP_KEYS, 'status'];

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function unknownKeys(o: Obj, allowed: string[], at: string, problems: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${at}: unknown property "${k}"`);
}

function checkStory(doc: unknown, problems: string[]): Story | undefined {
  if (!isObj(doc)) {
    problems.push('story: not a mapping');
    return undefined;
  }
  unknownKeys(doc, STORY_KEYS, 'story', problems);
  if (typeof doc.description !== 'string') problems.push('story: "description" must be a string');
  if (!Array.isArray(doc.chapters)) problems.push('story: "chapters" must be a list');
  checkGates(doc, 'story', problems);
  const chapters = listOf(doc.chapters, 'chapters', problems).flatMap((c, i) => checkChapter(c, `chapters[${i}]`, problems));
  return {
    description: String(doc.description),
    prologues: listOf(doc.prologues, 'prologues', problems).map((s, i) => checkSupplemental(s, `prologues[${i}]`, problems)),
    chapters,
    epilogues: listOf(doc.epilogues, 'epilogues', problems).map((s, i) => checkSupplemental(s, `epilogues[${i}]`, problems)),
    version: doc.version as string | undefined,
    distributions: doc.distributions as Distributions | undefined,
  };
}

function listOf(v: unknown, at: string, problems: string[]): unknown[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  problems.push(`${at}: must be a list`);
  return [];
}

/**
 * A chapter whose `method` is a list stands for one chapter per method; like the upstream runner,
 * each copy's synopsis gets a ` [METHOD]` suffix so that results stay distinguishable.
 */
function checkChapter(c: unknown, at: string, problems: string[]): Chapter[] {
  if (!isObj(c)) {
    problems.push(`${at}: not a mapping`);
    return [];
  }
  unknownKeys(c, CHAPTER_KEYS, at, problems);
  if (typeof c.synopsis !== 'string') problems.push(`${at}: "synopsis" must be a string`);
  if (c.pending !== undefined && typeof c.pending !== 'string') problems.push(`${at}: "pending" must be a string`);
  if (c.response !== undefined) checkExpectedResponse(c.response, `${at}.response`, problems);
  const methods = Array.isArray(c.method) ? c.method : [c.method];
  if (methods.length === 0) problems.push(`${at}: "method" list is empty`);
  return methods.map((method) => {
    const step = checkStep({ ...c, method }, at, problems);
    const synopsis = Array.isArray(c.method) ? `${String(c.synopsis)} [${String(method)}]` : String(c.synopsis);
    return { ...step, synopsis, pending: c.pending as string | undefined, response: c.response as ExpectedResponse | undefined };
  });
}

function checkSupplemental(s: unknown, at: string, problems: string[]): SupplementalStep {
  if (!isObj(s)) {
    problems.push(`${at}: not a mapping`);
    return { path: '', method: 'GET' };
  }
  unknownKeys(s, SUPPLEMENTAL_KEYS, at, problems);
  if (s.status !== undefined && !(Array.isArray(s.status) && s.status.every(Number.isInteger))) {
    problems.push(`${at}: "status" must be a list of integers`);
  }
  return { ...checkStep(s, at, problems), status: s.status as number[] | undefined };
}

function checkStep(s: Obj, at: string, problems: string[]): Step {
  if (typeof s.path !== 'string') problems.push(`${at}: "path" must be a string`);
  if (!HTTP_METHODS.includes(s.method as HttpMethod)) problems.push(`${at}: "method" must be one of ${HTTP_METHODS.join(', ')}`);
  if (s.id !== undefined && typeof s.id !== 'string') problems.push(`${at}: "id" must be a string`);
  if (s.output !== undefined && s.id === undefined) problems.push(`${at}: "output" needs an "id" to be referenced by`);
  checkParameters(s.parameters, `${at}.parameters`, problems);
  checkRequest(s.request, `${at}.request`, problems);
  checkOutput(s.output, `${at}.output`, problems);
  checkGates(s, at, problems);
  if (s.retry !== undefined && !(isObj(s.retry) && Number.isInteger(s.retry.count))) {
    problems.push(`${at}: "retry" must be {count, wait?}`);
  }
  return {
    id: s.id as string | undefined,
    path: String(s.path),
    method: s.method as HttpMethod,
    parameters: s.parameters as Record<string, Parameter> | undefined,
    request: s.request as StoryRequest | undefined,
    output: s.output as Record<string, OutputSpec> | undefined,
    version: s.version as string | undefined,
    distributions: s.distributions as Distributions | undefined,
    retry: s.retry as Retry | undefined,
  };
}

function checkParameters(p: unknown, at: string, problems: string[]): void {
  if (p === undefined) return;
  if (!isObj(p)) {
    problems.push(`${at}: must be a mapping`);
    return;
  }
  for (const [k, v] of Object.entries(p)) {
    if (!isScalar(v) && !(Array.isArray(v) && v.every(isScalar))) problems.push(`${at}.${k}: must be a scalar or a list of scalars`);
  }
}

function checkRequest(r: unknown, at: string, problems: string[]): void {
  if (r === undefined) return;
  if (!isObj(r)) {
    problems.push(`${at}: must be a mapping`);
    return;
  }
  unknownKeys(r, ['content_type', 'headers', 'payload'], at, problems);
  if (r.content_type !== undefined && typeof r.content_type !== 'string') problems.push(`${at}: "content_type" must be a string`);
  if (r.headers !== undefined && !(isObj(r.headers) && Object.values(r.headers).every(isScalar))) {
    problems.push(`${at}: "headers" must map names to scalars`);
  }
  if (r.content_type === 'application/x-ndjson' && r.payload !== undefined && !Array.isArray(r.payload)) {
    problems.push(`${at}: an application/x-ndjson payload must be a list`);
  }
}

function checkExpectedResponse(r: unknown, at: string, problems: string[]): void {
  if (!isObj(r)) {
    problems.push(`${at}: must be a mapping`);
    return;
  }
  unknownKeys(r, ['status', 'content_type', 'payload'], at, problems);
  const s = r.status;
  if (s !== undefined && !Number.isInteger(s) && !(Array.isArray(s) && s.every(Number.isInteger))) {
    problems.push(`${at}: "status" must be an integer or a list of integers`);
  }
  if (r.content_type !== undefined && typeof r.content_type !== 'string') problems.push(`${at}: "content_type" must be a string`);
}

function checkOutput(o: unknown, at: string, problems: string[]): void {
  if (o === undefined) return;
  if (!isObj(o)) {
    problems.push(`${at}: must be a mapping`);
    return;
  }
  for (const [k, v] of Object.entries(o)) {
    const path = isObj(v) ? v.path : v;
    if (typeof path !== 'string') problems.push(`${at}.${k}: must be a path string or {path, default}`);
    else if (!/^(payload|headers)([.[]|$)/.test(path)) problems.push(`${at}.${k}: path must start with "payload" or "headers."`);
  }
}

function checkGates(o: Obj, at: string, problems: string[]): void {
  if (o.version !== undefined && typeof o.version !== 'string') problems.push(`${at}: "version" must be a string`);
  const d = o.distributions;
  if (d === undefined) return;
  const isList = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  if (!isObj(d) || !isList(d.included) || !isList(d.excluded)) problems.push(`${at}: "distributions" must be {included?, excluded?} lists`);
}
