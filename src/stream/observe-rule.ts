/** A rule that reads a value at a path (e.g. a top-level `_scroll_id`) and passes its bytes through unchanged. */
import type { CutRule, JsonPath, PathPattern } from './path-rules.ts';

export function observeRule(path: PathPattern, observe: (raw: Buffer, path: JsonPath) => void): CutRule {
  return {
    path,
    onValue(raw, at) {
      observe(raw, at);
      return raw;
    },
  };
}
