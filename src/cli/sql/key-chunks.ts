// The key ranges of --jobs N: a table split by its integer key into chunks, which the jobs read
// in turn and the writer writes in key order.

/** An integer key's bounds, inclusive (bigint: exact past 2^53). */
export interface KeyBounds {
  min: bigint;
  max: bigint;
}

/** One range of the key, inclusive. */
export interface KeyChunk {
  lo: bigint;
  hi: bigint;
}

/**
 * Ranges covering `bounds` of about `rows` keys each: at least one per job, and at most
 * `maxPerJob` per job, so that a sparse key still makes few statements.
 */
export function keyChunks(bounds: KeyBounds, jobs: number, rows: number, maxPerJob: number): KeyChunk[] {
  const span = bounds.max - bounds.min + 1n;
  if (span <= 0n) return [];
  const count = BigInt(Math.min(Math.max(jobs, Math.ceil(Number(span) / rows)), maxPerJob * jobs));
  const width = (span + count - 1n) / count;
  const chunks: KeyChunk[] = [];
  for (let lo = bounds.min; lo <= bounds.max; lo += width) {
    // inclusive: max + 1 may not fit in 64 bits
    chunks.push({ lo, hi: lo + width - 1n > bounds.max ? bounds.max : lo + width - 1n });
  }
  return chunks;
}
