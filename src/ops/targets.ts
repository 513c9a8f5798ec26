/** Upstream clusters of targets, and where a request went (for its explain record). */
import type { Json } from '../core/json.ts';
import { illegalArgument, OsproxyError } from '../http/errors.ts';
import { shapeOf } from '../observe/request-shape.ts';
import type { Target } from '../tenancy/index.ts';
import type { UpstreamCluster } from '../upstream/cluster.ts';
import type { OpContext } from './context.ts';

export function clusterFor(ctx: OpContext, target: Target): UpstreamCluster {
  return clusterById(ctx, target.cluster);
}

export function clusterById(ctx: OpContext, id: string): UpstreamCluster {
  const cluster = ctx.services.clusters.get(id);
  if (cluster === undefined) throw new OsproxyError({ status: 500, type: 'internal_error', code: 'unknown_cluster', reason: 'the placement names a cluster that is not configured' });
  return cluster;
}

/** All targets must live on one cluster: osproxy does not scatter-gather one search across clusters. */
export function oneCluster(ctx: OpContext, targets: Target[]): UpstreamCluster {
  const ids = new Set(targets.map((t) => t.cluster));
  if (ids.size > 1) throw illegalArgument('cross_cluster_search', 'the requested indexes live on different clusters; search them separately');
  return clusterFor(ctx, targets[0]);
}

/** Records where a request goes in its explain record. */
export function explainTargets(ctx: OpContext, targets: readonly Target[]): void {
  if (targets.length === 0) return;
  if (targets.length === 1) {
    ctx.explain.placement = targets[0].placement;
    ctx.explain.physical = [targets[0].physicalIndex];
    ctx.explain.indices = [targets[0].lindex];
    ctx.explain.epoch = ctx.scope.epoch(targets[0].lindex);
    return;
  }
  ctx.explain.placement = [...new Set(targets.map((t) => t.placement))].join(',');
  ctx.explain.physical = [...new Set(targets.map((t) => t.physicalIndex))];
  ctx.explain.indices = [...new Set(targets.map((t) => t.lindex))];
  ctx.explain.epoch = ctx.scope.epoch(targets[0].lindex);
}

/** At level `rewrite`: the body's shape (keys and value kinds, never values) before and after rewriting. */
export function explainRewrite(ctx: OpContext, before: Json | undefined, after: Json | undefined): void {
  if (ctx.recordsRewrite) ctx.explain.rewrite = { before: shapeOf(before), after: shapeOf(after) };
}
