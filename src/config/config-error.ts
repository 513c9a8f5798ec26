/** A configuration that cannot run: one line naming the key and the problem; `serve` exits 2. */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';
}
