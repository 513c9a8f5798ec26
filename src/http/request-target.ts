/**
 * A request's path and query from its request-target (`req.url`), as the WHATWG URL parser would
 * give them (`new URL(target, 'http://osproxy')`: dot segments removed, `\` read as `/`, odd
 * characters percent-encoded, a `#…` fragment dropped) — without building a URL object for the
 * common target that needs none of that: a plain origin-form path of unreserved characters and
 * printable ASCII in the query. Anything else goes through the URL parser, so the two always agree.
 */
import { illegalArgument } from './errors.ts';

/** Characters a path keeps as they are under the URL parser (and that form no dot segment on their own). */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-_~!$&'()*+,;=:@/.%]*$/;
/** A dot segment (`/./`, `/../`, at the end too), or a percent-encoded dot that could form one. */
const DOT_SEGMENT = /\/\.\.?(?:\/|$)|%2e/i;
/** Printable ASCII except `#` (a fragment): what URLSearchParams reads exactly as the URL parser's query would be. */
const PLAIN_QUERY = /^[\x21\x22\x24-\x7e]*$/;

export interface RequestTarget {
  pathname: string;
  query: URLSearchParams;
}

export function requestTarget(raw: string): RequestTarget {
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  // With its `?`: URLSearchParams drops one leading `?`, as the URL parser does.
  const search = q < 0 ? '' : raw.slice(q);
  if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path) && PLAIN_QUERY.test(search)) {
    return { pathname: path, query: new URLSearchParams(search) };
  }
  let url: URL;
  try {
    url = new URL(raw, 'http://osproxy');
  } catch {
    throw illegalArgument('invalid_path', 'the request target is not a valid URL path');
  }
  return { pathname: url.pathname, query: url.searchParams };
}
