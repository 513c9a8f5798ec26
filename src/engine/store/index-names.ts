import { EngineError } from '../errors.ts';

/** Strings.INVALID_FILENAME_CHARS, in the order its HashSet<Character> prints. */
const INVALID_FILENAME_CHARS = [' ', '"', '*', '\\', '<', '|', ',', '>', '/', '?'];

/**
 * MetadataCreateIndexService.validateIndexOrAliasName: the rules index and alias names share
 * (lower case is required of index names only). Returns what is wrong, or undefined.
 */
export function nameProblem(name: string): string | undefined {
  if (INVALID_FILENAME_CHARS.some((c) => name.includes(c))) {
    return `must not contain the following characters [${INVALID_FILENAME_CHARS.join(', ')}]`;
  }
  if (name.includes('#')) return "must not contain '#'";
  if (name.includes(':')) return "must not contain ':'";
  if (name.startsWith('_') || name.startsWith('-') || name.startsWith('+')) return "must not start with '_', '-', or '+'";
  const bytes = Buffer.byteLength(name);
  if (bytes > 255) return `index name is too long, (${bytes} > 255)`;
  if (name === '.' || name === '..') return "must not be '.' or '..'";
  return undefined;
}

/** Checks a new index name the way OpenSearch's MetadataCreateIndexService.validateIndexName does. */
export function validateIndexName(name: string, isAlias: (name: string) => boolean = () => false): void {
  const invalid = (why: string): EngineError =>
    new EngineError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${why}`, {
      index: name,
      index_uuid: '_na_',
    });
  if (name === '') throw invalid('must not be empty');
  const problem = nameProblem(name);
  if (problem !== undefined) throw invalid(problem);
  if (name !== name.toLowerCase()) throw invalid('must be lowercase');
  if (isAlias(name)) throw invalid('already exists as alias');
}

/** Matches `pattern` with `*` wildcards against a name. */
export function wildcardMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const re = new RegExp('^' + pattern.split('*').map(escapeRegex).join('.*') + '$');
  return re.test(name);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
