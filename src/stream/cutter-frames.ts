/**
 * The JSON cutter's container stack: per open container its kind, the mask of rules still alive
 * in it, its current array index and its current key. It starts small and doubles with the nesting
 * met, up to the cutter's maxDepth: a cutter is made per request, and most answers nest a few
 * levels, so a full-depth stack per request (several KiB, zeroed) would be mostly unused.
 */

/** Frames a stack starts with (search answers nest about 8 levels; deeper ones grow it). */
const INITIAL_FRAMES = 16;

export class CutterFrames {
  kind: Uint8Array;
  mask: Int32Array;
  index: Int32Array;
  key: string[];

  constructor(readonly max: number) {
    const n = Math.min(INITIAL_FRAMES, max);
    this.kind = new Uint8Array(n);
    this.mask = new Int32Array(n);
    this.index = new Int32Array(n);
    this.key = new Array<string>(n).fill('');
  }

  /** Twice the frames (at most `max`), the open ones kept; callers re-read the arrays after it. */
  grow(): void {
    const n = Math.min(this.kind.length * 2, this.max);
    const kind = new Uint8Array(n);
    const mask = new Int32Array(n);
    const index = new Int32Array(n);
    kind.set(this.kind);
    mask.set(this.mask);
    index.set(this.index);
    this.kind = kind;
    this.mask = mask;
    this.index = index;
    this.key = [...this.key, ...new Array<string>(n - this.key.length).fill('')];
  }
}
