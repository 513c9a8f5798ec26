import { EngineError } from '../errors.ts';

const FORBIDDEN = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':'];

/** Checks a new index name the way OpenSearch's MetadataCreateIndexService does. */
export function validateIndexName(name: string): void {
  const invalid = (why: string): EngineError =>
    new EngineError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${why}`, {
      index: name,
      index_uuid: '_na_',
    });
  if (name !== name.toLowerCase()) throw invalid('must be lowercase');
  for (const c of FORBIDDEN) {
    if (name.includes(c)) throw invalid(`must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?, #, :]`);
  }
  if (name.startsWith('_') || name.startsWith('-') || name.startsWith('+')) throw invalid(`must not start with '_', '-', or '+'`);
  if (name === '.' || name === '..') throw invalid(`must not be '.' or '..'`);
  if (name === '') throw invalid('must not be empty');
  if (Buffer.byteLength(name) > 255) throw invalid('index name is too long, (' + Buffer.byteLength(name) + ' > 255)');
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
