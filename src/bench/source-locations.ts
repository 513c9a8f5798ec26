/**
 * Where a profiled frame is in the sources. The proxy under test runs from the bundle, whose
 * chunks are whitespace-minified (a few long lines): a frame's own line and column say nothing to
 * a reader, so they are looked up in the chunk's linked source map (`<chunk>.js.map`, written by
 * build/bundle.ts) with Node's own SourceMap. Frames outside a mapped file keep their line.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FrameAt {
  url: string;
  /** 0-based, as in a `.cpuprofile`. */
  lineNumber: number;
  columnNumber?: number;
}

export class SourceLocations {
  private readonly maps = new Map<string, SourceMap | null>();

  constructor(private readonly root: string) {}

  /** `path:line` (1-based, relative to the root): in the sources when the frame's file has a map. */
  describe(frame: FrameAt): string {
    if (frame.url === '') return '(native)';
    if (!frame.url.startsWith('file://')) return `${frame.url}:${frame.lineNumber + 1}`;
    const file = fileURLToPath(frame.url);
    const original = this.original(file, frame);
    if (original !== undefined) return original;
    return `${relative(this.root, file)}:${frame.lineNumber + 1}`;
  }

  private original(file: string, frame: FrameAt): string | undefined {
    const map = this.mapOf(file);
    if (map === null) return undefined;
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber ?? 0) as Partial<{ originalSource: string; originalLine: number }>;
    if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(dirname(file), entry.originalSource);
    return `${relative(this.root, source)}:${entry.originalLine + 1}`;
  }

  private mapOf(file: string): SourceMap | null {
    let map = this.maps.get(file);
    if (map === undefined) {
      map = readMap(`${file}.map`);
      this.maps.set(file, map);
    }
    return map;
  }
}

function readMap(path: string): SourceMap | null {
  try {
    return new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as SourceMapPayload);
  } catch {
    return null; // no map beside the file (sources under tsx, node's own modules) or an unreadable one
  }
}
