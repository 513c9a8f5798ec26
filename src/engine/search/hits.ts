import type { Json, JsonObject } from '../json.ts';
import { highlightHit } from './highlight.ts';
import { hitFields } from './hit-fields.ts';
import type { HighlightTerms } from './query/types.ts';
import type { SearchRequest } from './request.ts';
import { asJavaFloat } from './scoring/float.ts';
import type { Ranked, SortPlan } from './sort.ts';
import { filterSource } from './source-filter.ts';

/** What rendering hits needs besides the request. */
export interface HitContext {
  req: SearchRequest;
  showScores: boolean;
  sortPlan?: SortPlan;
  highlightTerms?: HighlightTerms;
  /** Fields the search itself returns (the collapse value), after the requested ones. */
  extraFields?: JsonObject;
}

/** One hit in OpenSearch's key order: _index, _id, _version, _seq_no, _primary_term, _score, _routing, _source, fields, highlight, sort. */
export function renderHit(r: Ranked, ctx: HitContext): JsonObject {
  const { req } = ctx;
  const hit: JsonObject = { _index: r.doc.index };
  const noneStored = req.storedFields?.includes('_none_') === true;
  if (!noneStored) hit._id = r.doc.id;
  if (req.version) hit._version = r.doc.version;
  if (req.seqNoPrimaryTerm) {
    hit._seq_no = r.doc.seqNo;
    hit._primary_term = r.doc.primaryTerm;
  }
  hit._score = ctx.showScores ? asJavaFloat(r.score) : null;
  if (r.doc.routing !== undefined && !noneStored) hit._routing = r.doc.routing;
  if (req.source.fetch && !noneStored) hit._source = filterSource(r.doc.source, req.source.includes, req.source.excludes);
  const requested = hitFields(r.doc, r.index, req.fields, req.docvalueFields);
  const fields = ctx.extraFields === undefined ? requested : { ...requested, ...ctx.extraFields };
  if (fields !== undefined) hit.fields = fields;
  if (req.highlight !== undefined && ctx.highlightTerms !== undefined) {
    const hl = highlightHit(r.doc, r.index, req.highlight, ctx.highlightTerms);
    if (hl !== undefined) hit.highlight = hl;
  }
  if (ctx.sortPlan !== undefined && r.sortValues !== undefined) hit.sort = ctx.sortPlan.display(r.sortValues) as Json[];
  return hit;
}
