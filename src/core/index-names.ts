/** OpenSearch's rules for index names (MetadataCreateIndexService.validateIndexOrAliasName). */
const FORBIDDEN_CHARS = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#'];
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Why `name` is not a valid OpenSearch index name, or undefined when it is. */
export function indexNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name !== name.toLowerCase()) return 'must be lowercase';
  const bad = FORBIDDEN_CHARS.find((c) => name.includes(c));
  if (bad !== undefined) return `must not contain the character [${bad}]`;
  if (CONTROL_CHARS.test(name)) return 'must not contain control characters';
  if (/^[_\-+]/.test(name)) return "must not start with '_', '-', or '+'";
  if (name === '.' || name === '..') return "must not be '.' or '..'";
  if (Buffer.byteLength(name, 'utf8') > 255) return 'index name is too long, (must be no longer than 255 bytes)';
  return undefined;
}
