import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLError } from 'yaml';
import { z } from 'zod';
import { ConfigSchema, type OsproxyConfig } from './schema.ts';

import { ConfigError } from './config-error.ts';
import { checkConfigFiles, resolveConfigPaths } from './paths.ts';

export { ConfigError };

type Raw = Record<string, unknown>;

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where later layers win; arrays are replaced, not concatenated. */
export function mergeLayers(...layers: Raw[]): Raw {
  const out: Raw = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      out[k] = isRecord(v) && isRecord(out[k]) ? mergeLayers(out[k] as Raw, v) : v;
    }
  }
  return out;
}

function listenerFrom(hostPort: string): Raw {
  const i = hostPort.lastIndexOf(':');
  if (i < 0) throw new ConfigError(`listen address "${hostPort}" must be host:port`);
  return { host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) };
}

/** The OSPROXY_* environment layer: a few operational switches, not the whole config. */
export function envLayer(env: NodeJS.ProcessEnv): Raw {
  const out: Raw = {};
  if (env.OSPROXY_LISTEN) out.listeners = [listenerFrom(env.OSPROXY_LISTEN)];
  if (env.OSPROXY_UPSTREAM) out.clusters = { default: { url: env.OSPROXY_UPSTREAM } };
  if (env.OSPROXY_LOG_LEVEL) out.log_level = env.OSPROXY_LOG_LEVEL;
  const tenancy: Raw = {};
  if (env.OSPROXY_CURSOR_KEY) tenancy.cursor_key_b64 = env.OSPROXY_CURSOR_KEY;
  if (env.OSPROXY_CURSOR_PREVIOUS_KEYS) tenancy.cursor_previous_keys_b64 = env.OSPROXY_CURSOR_PREVIOUS_KEYS.split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (Object.keys(tenancy).length > 0) out.tenancy = tenancy;
  if (env.OSPROXY_ALLOW_CLEARTEXT_MUTATION) out.allow_cleartext_mutation = env.OSPROXY_ALLOW_CLEARTEXT_MUTATION === 'true';
  if (env.OSPROXY_DEBUG_HEADER_KEY) out.observe = { debug_header_key: env.OSPROXY_DEBUG_HEADER_KEY };
  return out;
}

export interface FlagLayer {
  listen?: string;
  upstream?: string;
  logLevel?: string;
}

function flagLayer(flags: FlagLayer): Raw {
  const out: Raw = {};
  if (flags.listen) out.listeners = [listenerFrom(flags.listen)];
  if (flags.upstream) out.clusters = { default: { url: flags.upstream } };
  if (flags.logLevel) out.log_level = flags.logLevel;
  return out;
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.join('.');
      if (i.code === 'unrecognized_keys') return `config: ${path === '' ? '' : path + ': '}unknown key(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      return `config: ${path === '' ? '(root)' : path}: ${i.message}`;
    })
    .join('\n');
}

/** Validates a raw config object (file < env < flags already merged). */
export function parseConfig(raw: unknown): OsproxyConfig {
  const res = ConfigSchema.safeParse(raw);
  if (!res.success) throw new ConfigError(formatIssues(res.error));
  return res.data;
}

/**
 * Loads the YAML file (optional; its relative paths are relative to its folder), overlays OSPROXY_*
 * env and flags, validates everything — the files it names included — before any socket opens.
 */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; flags?: FlagLayer }): OsproxyConfig {
  let fileLayer: Raw = {};
  if (opts.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (e) {
      throw new ConfigError(`config: cannot read ${opts.file}: ${(e as Error).message}`);
    }
    const parsed = parseYamlFile(text, opts.file);
    if (parsed !== null && parsed !== undefined && !isRecord(parsed)) throw new ConfigError(`config: ${opts.file} must hold a YAML mapping`);
    fileLayer = resolveConfigPaths((parsed ?? {}) as Raw, dirname(resolve(opts.file)));
  }
  const config = parseConfig(mergeLayers(fileLayer, envLayer(opts.env ?? {}), flagLayer(opts.flags ?? {})));
  checkConfigFiles(config);
  return config;
}

/** The YAML document; a syntax error is one line naming the file, the place and the problem. */
function parseYamlFile(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (e) {
    if (!(e instanceof YAMLError)) throw e;
    // yaml's message is "<problem> at line L, column C:" followed by a code frame: the first line says it all.
    const first = e.message.split('\n')[0].replace(/:\s*$/, '');
    throw new ConfigError(`config: ${file}: invalid YAML: ${first}`);
  }
}
