/**
 * The prom-client classes the proxy uses, loaded from their own modules: `import 'prom-client'`
 * also loads the default metrics, the summary (tdigest) and @opentelemetry/api for exemplars
 * (89 modules, ~5 MiB more RSS per process) that the proxy never uses. These are the very modules
 * prom-client's index re-exports, so the classes are the same either way
 * (test/observe/prom-parts.test.ts checks it).
 */
import { createRequire } from 'node:module';
import type * as Prom from 'prom-client';

const require = createRequire(import.meta.url);

export const Registry = require('prom-client/lib/registry.js') as typeof Prom.Registry;
export type Registry = Prom.Registry;
export const Counter = require('prom-client/lib/counter.js') as typeof Prom.Counter;
export type Counter<T extends string = string> = Prom.Counter<T>;
export const Gauge = require('prom-client/lib/gauge.js') as typeof Prom.Gauge;
export type Gauge<T extends string = string> = Prom.Gauge<T>;
/** The `--workers` aggregation: a function, so a single process never loads it (it loads node:cluster). */
export function aggregatorRegistry(): typeof Prom.AggregatorRegistry {
  return require('prom-client/lib/cluster.js') as typeof Prom.AggregatorRegistry;
}
