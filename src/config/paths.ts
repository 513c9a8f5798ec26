/**
 * File paths in the configuration (TLS certificates and keys, a JWKS file): a relative path in the
 * YAML file means relative to the file's own folder — not to wherever `osproxy serve` was started —
 * and every file must be readable when the configuration loads, so that a wrong path is one line
 * naming the key instead of a failure (or a stack trace) once sockets open.
 */
import { accessSync, constants } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from './config-error.ts';
import type { OsproxyConfig } from './schema.ts';

type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

const TLS_FILES = ['cert_file', 'key_file', 'ca_file'] as const;

/** Every configured file path, as [key path, object holding it, key]. */
function fileSlots(raw: Raw): [string, Raw, string][] {
  const out: [string, Raw, string][] = [];
  const listeners = Array.isArray(raw.listeners) ? raw.listeners : [];
  listeners.forEach((l, i) => {
    if (isRecord(l) && isRecord(l.tls)) for (const k of TLS_FILES) out.push([`listeners.${i}.tls.${k}`, l.tls, k]);
  });
  if (isRecord(raw.clusters)) {
    for (const [id, c] of Object.entries(raw.clusters)) if (isRecord(c)) for (const k of TLS_FILES) out.push([`clusters.${id}.${k}`, c, k]);
  }
  if (isRecord(raw.auth) && isRecord(raw.auth.jwt)) out.push(['auth.jwt.jwks_file', raw.auth.jwt, 'jwks_file']);
  return out.filter(([, holder, key]) => typeof holder[key] === 'string');
}

/** The file layer with its relative paths made absolute against `baseDir` (the config file's folder). */
export function resolveConfigPaths(raw: Raw, baseDir: string): Raw {
  const copy = structuredClone(raw);
  for (const [, holder, key] of fileSlots(copy)) {
    const path = holder[key] as string;
    if (path !== '' && !isAbsolute(path)) holder[key] = resolve(baseDir, path);
  }
  return copy;
}

/** Fails with one line naming the key when a configured file cannot be read. */
export function checkConfigFiles(config: OsproxyConfig): void {
  for (const [key, holder, slot] of fileSlots(config as unknown as Raw)) {
    const path = holder[slot] as string;
    try {
      accessSync(path, constants.R_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
      throw new ConfigError(`config: ${key}: cannot read ${path} (${why})`);
    }
  }
}
