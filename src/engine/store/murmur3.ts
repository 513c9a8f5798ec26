/**
 * Murmur3 x86 32-bit over the UTF-16 code units of a routing value (two bytes each, little
 * endian), as OpenSearch's Murmur3HashFunction does, so shard placement behaves like the real one.
 */
export function murmur3Routing(routing: string): number {
  const bytes = Buffer.alloc(routing.length * 2);
  for (let i = 0; i < routing.length; i++) bytes.writeUInt16LE(routing.charCodeAt(i), i * 2);
  return murmur3x86(bytes, 0) | 0;
}

function mix(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

export function murmur3x86(data: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  const blocks = data.length >> 2;
  for (let i = 0; i < blocks; i++) {
    const o = i * 4;
    const k = data[o] | (data[o + 1] << 8) | (data[o + 2] << 16) | (data[o + 3] << 24);
    h ^= mix(k);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rem = data.length & 3;
  if (rem > 0) {
    const t = blocks * 4;
    let tail = 0;
    if (rem === 3) tail ^= data[t + 2] << 16;
    if (rem >= 2) tail ^= data[t + 1] << 8;
    tail ^= data[t];
    h ^= mix(tail);
  }
  h ^= data.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Shard of a routing value: floorMod(hash, shards), like OpenSearch without routing partitions. */
export function shardFor(routing: string, shards: number): number {
  const h = murmur3Routing(routing);
  return ((h % shards) + shards) % shards;
}
