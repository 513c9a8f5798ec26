/** The proxy's byte-level streaming layer: JSON cutting, search response rewriting, NDJSON lines. */
export { JsonCutter, type JsonCutterOptions } from './json-cutter.ts';
export {
  JsonCutterTransform,
  createJsonCutterTransform,
  type JsonCutterTransformOptions,
} from './json-cutter-transform.ts';
export { MAX_RULES, type CutRule, type JsonPath, type PathPattern, type PathSegment } from './path-rules.ts';
export { observeRule } from './observe-rule.ts';
export { StreamJsonError, type StreamJsonErrorReason } from './stream-json-error.ts';
export { isObject as isJsonObject, type Json, type JsonObject } from '../core/json.ts';
export {
  createSearchResponseTransform,
  createMsearchResponseTransform,
  searchResponseRules,
  msearchResponseRules,
  type SearchResponseTransformOptions,
  type MsearchResponseTransformOptions,
} from './search-response.ts';
export { ndjsonLines, LineTooLongError, type NdjsonLine, type NdjsonLinesOptions } from './ndjson-lines.ts';
export { JsonFormatter, JsonFormatTransform, type JsonFormatOptions } from './json-format.ts';
export { parseFilterPath, type FilterPath } from './filter-path.ts';
