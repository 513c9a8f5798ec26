/**
 * The first `k` items of a stable sort, in O(n log k): what `items.sort(compare).slice(0, k)`
 * gives, provided `compare` is a consistent total preorder (callers check that; with NaN or
 * mixed-type values they sort fully instead). Ties keep input order, as the stable sort does.
 */
export function firstK<T>(items: T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (k * 4 >= items.length) return items.sort(compare).slice(0, k);
  // A max-heap of positions: the worst kept item on top. Position breaks ties (stability).
  const worse = (i: number, j: number): boolean => {
    const c = compare(items[i], items[j]);
    return c > 0 || (c === 0 && i > j);
  };
  const heap: number[] = [];
  for (let i = 0; i < items.length; i++) {
    if (heap.length < k) siftUp(heap, i, worse);
    else if (worse(heap[0], i)) {
      heap[0] = i;
      siftDown(heap, worse);
    }
  }
  heap.sort((i, j) => compare(items[i], items[j]) || i - j);
  return heap.map((i) => items[i]);
}

function siftUp(heap: number[], value: number, worse: (i: number, j: number) => boolean): void {
  let pos = heap.length;
  heap.push(value);
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    if (!worse(value, heap[parent])) break;
    heap[pos] = heap[parent];
    pos = parent;
  }
  heap[pos] = value;
}

function siftDown(heap: number[], worse: (i: number, j: number) => boolean): void {
  const value = heap[0];
  let pos = 0;
  for (;;) {
    let child = 2 * pos + 1;
    if (child >= heap.length) break;
    if (child + 1 < heap.length && worse(heap[child + 1], heap[child])) child++;
    if (!worse(heap[child], value)) break;
    heap[pos] = heap[child];
    pos = child;
  }
  heap[pos] = value;
}
