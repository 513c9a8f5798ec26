const cache = new Map<string, RegExp>();

/** A `*`/`?` wildcard pattern as an anchored RegExp (`*` also crosses dots). */
export function globToRegExp(pattern: string, flags = ''): RegExp {
  const key = `${flags}:${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, `s${flags}`);
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  return re;
}
