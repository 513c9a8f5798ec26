/**
 * A tenant's fields in shared placement (SPEC §4.2): a write's new fields are inferred as dynamic
 * mapping would, checked against the tenant's own quota, mapped in the shared index under the
 * tenant's own physical names, recorded in its logical mapping (fleet store), and the document is
 * sent with those names. Nothing another tenant did can change what happens here.
 */
import { isObject, type JsonObject } from '../core/json.ts';
import { illegalArgument, OsproxyError } from '../http/errors.ts';
import { injectReservedFields, reservedNames, type ReservedFields, type Target } from '../tenancy/index.ts';
import { physicalDocumentBytes } from '../tenancy/mapping/physical-bytes.ts';
import { inferNewFields } from '../tenancy/mapping/infer-fields.ts';
import { countFields, fromStored, mappingJson, type LogicalMapping } from '../tenancy/mapping/logical-mapping.ts';
import { mergeLogicalMapping } from '../tenancy/mapping/merge-mapping.ts';
import { namesPhysicalMark, PHYSICAL_MARK } from '../tenancy/mapping/physical-names.ts';
import { renamedDocumentText, withMembers } from '../tenancy/mapping/physical-text.ts';
import type { OpContext } from './context.ts';
import { storeCall } from './store-call.ts';
import { clusterFor } from './targets.ts';
import { callUpstream, mapUpstreamError, readUpstreamJson } from './upstream-call.ts';
import { asJson } from '../control/snapshot-builder.ts';
import { upstreamRefusal } from './shared-home.ts';

function quotaExceeded(limit: number): OsproxyError {
  return illegalArgument('field_quota_exceeded', `Limit of total fields [${limit}] has been exceeded`);
}

function unparsableFieldName(why: string): OsproxyError {
  return new OsproxyError({ status: 400, type: 'mapper_parsing_exception', code: 'invalid_field_name', reason: `failed to parse: ${why}` });
}

/** OpenSearch's document parser's own checks on a key (an unsplittable key cannot be renamed). */
function refuseUnparsableKey(key: string): void {
  if (key === '') throw unparsableFieldName('field name cannot be an empty string');
  if (key.trim() === '') throw unparsableFieldName('object field cannot contain only whitespace');
  if (key.includes('.') && key.split('.').some((part) => part === '')) {
    throw unparsableFieldName(`object field starting or ending with a [.] makes object resolution ambiguous: [${key}]`);
  }
}

/**
 * Keys that could pass for osproxy's physical names are refused, like the reserved fields; an
 * empty key is refused as OpenSearch's dynamic mapping would (it cannot be renamed).
 */
function refuseMarkedKeys(node: unknown, where: string, path = ''): void {
  if (Array.isArray(node)) node.forEach((n) => refuseMarkedKeys(n, where, path));
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const at = path === '' ? key : `${path}.${key}`;
    refuseUnparsableKey(key);
    if (namesPhysicalMark(key)) throw illegalArgument('reserved_field', `field [${at}] in the ${where} contains [${PHYSICAL_MARK}], which osproxy reserves for tenant isolation`);
    refuseMarkedKeys(value, where, at);
  }
}

/** Maps the update's fields in the shared index under the tenant's physical names. */
export async function putPhysicalFields(ctx: OpContext, target: Target, update: LogicalMapping): Promise<void> {
  const fields = target.fields;
  if (fields === undefined) return;
  const res = await callUpstream(ctx, clusterFor(ctx, target), {
    method: 'PUT',
    path: `/${encodeURIComponent(target.physicalIndex)}/_mapping`,
    body: JSON.stringify({ properties: fields.namer.properties(update.properties) }),
    idempotent: false,
  });
  const answer = await readUpstreamJson(ctx, res);
  if (res.status >= 400) throw upstreamRefusal(res.status, mapUpstreamError(answer, [target]));
}

/**
 * Adds fields to the tenant's logical mapping: type changes refused, quota checked, mapped in the
 * shared index, then recorded (a guarded write: a concurrent addition is merged, a conflicting one
 * refused). Returns the target with the new mapping.
 */
export async function addFields(ctx: OpContext, target: Target, update: LogicalMapping): Promise<Target> {
  const fields = target.fields;
  if (fields === undefined) return target;
  const merged = mergeLogicalMapping(fields.mapping, update);
  const quota = ctx.scope.settings.fieldQuota;
  if (countFields(merged.properties) > quota) throw quotaExceeded(quota);
  await putPhysicalFields(ctx, target, update);
  await storeCall(() => ctx.services.control.changeIndex(ctx.scope.tenant, target.lindex, (doc) => {
    const recorded = mergeLogicalMapping(fromStored(doc.mapping as JsonObject | undefined), update);
    if (countFields(recorded.properties) > quota) throw quotaExceeded(quota);
    return { ...doc, mapping: asJson(mappingJson(recorded)) };
  }));
  return ctx.services.control.snapshot()?.target(ctx.scope.tenant, target.lindex) ?? target;
}

export interface PhysicalDocument {
  body: JsonObject;
  target: Target;
}

/** A client document as stored: new fields added first, keys renamed, reserved fields injected. */
export async function physicalDocument(ctx: OpContext, target: Target, doc: JsonObject, id: string, where: string): Promise<PhysicalDocument> {
  if (target.placement !== 'shared') return { body: doc, target };
  const r = ctx.scope.reserved;
  if (target.fields === undefined) return { body: injectReservedFields(doc, ctx.scope.tenant, target.lindex, r, target.epoch ?? 0), target };
  refuseMarkedKeys(doc, where);
  const added = inferNewFields(doc, target.fields.mapping);
  const current = added === undefined ? target : await addFields(ctx, target, added);
  const fields = current.fields ?? target.fields;
  const body = { ...fields.namer.document(doc, fields.mapping), [r.tenant]: ctx.scope.tenant, [r.lindex]: target.lindex, [r.id]: id, [r.epoch]: target.epoch ?? 0 };
  return { body, target: current };
}

/** The epoch member (`"_epoch":N`) a write carries, as text. */
export function epochStamp(ctx: OpContext, target: Target): string {
  return `${JSON.stringify(ctx.scope.reserved.epoch)}:${target.epoch ?? 0}`;
}

interface TailParts {
  reserved: ReservedFields;
  tenant: string;
  epoch: number | undefined;
  /** `"_tenant":…,"_lindex":…,"_lid":` */
  head: string;
  /** `,"_epoch":N` */
  stamp: string;
  headBytes: Buffer;
  stampBytes: Buffer;
}

/** Per target, the constant parts of its documents' reserved members (every bulk item repeats them). */
const tailParts = new WeakMap<Target, TailParts>();

function partsOf(ctx: OpContext, target: Target): TailParts {
  const r = ctx.scope.reserved;
  let parts = tailParts.get(target);
  if (parts === undefined || parts.reserved !== r || parts.tenant !== ctx.scope.tenant || parts.epoch !== target.epoch) {
    const head = `${JSON.stringify(r.tenant)}:${JSON.stringify(ctx.scope.tenant)},${JSON.stringify(r.lindex)}:${JSON.stringify(target.lindex)},${JSON.stringify(r.id)}:`;
    const stamp = `,${epochStamp(ctx, target)}`;
    parts = { reserved: r, tenant: ctx.scope.tenant, epoch: target.epoch, head, stamp, headBytes: Buffer.from(head), stampBytes: Buffer.from(stamp) };
    tailParts.set(target, parts);
  }
  return parts;
}

/** The reserved members a shared document is stored with (`"_tenant":…,"_lindex":…,"_lid":…,"_epoch":N`), as text. */
export function reservedTail(ctx: OpContext, target: Target, id: string): string {
  const parts = partsOf(ctx, target);
  return `${parts.head}${JSON.stringify(id)}${parts.stamp}`;
}

/** reservedTail in pieces: its constant parts as bytes, the id as text. */
export function reservedTailPieces(ctx: OpContext, target: Target, id: string): [Buffer, string, Buffer] {
  const parts = partsOf(ctx, target);
  return [parts.headBytes, JSON.stringify(id), parts.stampBytes];
}

/**
 * A document as stored, from its bytes in one pass, for a target already registered
 * (physicalDocumentBytes: `bytes` must be valid UTF-8); undefined when the general path
 * (JSON.parse, assertNoReservedFields, physicalDocumentText) must decide — which then answers
 * exactly as it always has. `head` is written before it (a bulk item's action line).
 */
export function physicalDocumentBytesFor(ctx: OpContext, target: Target, bytes: Buffer, id: string, head?: string): Buffer | undefined {
  const reserved = reservedNames(ctx.scope.reserved);
  if (target.placement !== 'shared') return physicalDocumentBytes(bytes, { reserved, head, tail: target.stampEpoch === true ? epochStamp(ctx, target) : undefined });
  const fields = target.fields;
  if (fields === undefined) return undefined;
  return physicalDocumentBytes(bytes, { reserved, head, rename: { props: fields.mapping.properties, namer: fields.namer }, tail: reservedTailPieces(ctx, target, id) });
}

/**
 * A client document as stored, as text. The common case — every key already in the tenant's
 * logical mapping — renames the keys in the text itself (no object tree rebuilt); anything else
 * takes physicalDocument's path.
 */
export async function physicalDocumentText(ctx: OpContext, target: Target, doc: JsonObject, text: string, id: string, where: string): Promise<PhysicalText> {
  const fields = target.fields;
  const stamp = epochStamp(ctx, target);
  if (target.placement === 'shared' && fields !== undefined) {
    const renamed = renamedDocumentText(text, fields.mapping.properties, fields.namer, reservedTail(ctx, target, id));
    if (renamed !== undefined) return { text: renamed, target };
  }
  if (target.placement !== 'shared') return { text: target.stampEpoch === true ? withMembers(text, stamp) : text, target };
  const prepared = await physicalDocument(ctx, target, doc, id, where);
  return { text: JSON.stringify(prepared.body), target: prepared.target };
}

export interface PhysicalText {
  text: string;
  target: Target;
}

/** An update's partial `doc` or `upsert`: like a document, minus the reserved fields where they are kept. */
export async function physicalPartial(ctx: OpContext, target: Target, doc: JsonObject, where: string): Promise<PhysicalDocument> {
  if (target.fields === undefined) return { body: doc, target };
  refuseMarkedKeys(doc, where);
  const added = inferNewFields(doc, target.fields.mapping);
  const current = added === undefined ? target : await addFields(ctx, target, added);
  const fields = current.fields ?? target.fields;
  return { body: { ...fields.namer.document(doc, fields.mapping), [ctx.scope.reserved.epoch]: target.epoch ?? 0 }, target: current };
}
