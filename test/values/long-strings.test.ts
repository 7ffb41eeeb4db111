// A long string takes memory in proportion to a chunk, not to its length, whatever it needs
// escaped: under ensureAscii every CJK character becomes six (a 10M-character text used to
// take 0.7 GB, escaped as one rope). It is written a slice at a time, surrogate pairs kept
// whole across slices; dumps(), which must return one string, refuses text longer than a
// string can be with ERR_LIMIT instead of a RangeError.
import { describe, expect, it } from 'vitest';
import { constants } from 'node:buffer';
import { dumps, dumpSync, JSONDumpError, stringifyChunksSync } from '../../src/index.js';
import { gc as fullGc } from '../helpers/gc.js';
import { allVariants } from '../helpers/variants.js';

/** JSON.stringify with every character outside printable ASCII as \uXXXX (Python's ensure_ascii). */
const asciiOracle = (v: unknown): string =>
  JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

/**
 * A text of `n` characters mixing CJK, ASCII, escapes, astral characters and lone surrogates,
 * with a surrogate pair straddling every multiple of 2^14 (where slices are cut).
 */
function mixedText(n: number): string {
  const parts = ['中文', 'abc', '"\\\n', '😀', 'é', '\ud800', 'x\udfff'];
  let s = '';
  for (let i = 0; s.length < n; i++) s += parts[i % parts.length];
  const chars = s.slice(0, n).split('');
  for (let cut = 1 << 14; cut < n - 1; cut += 1 << 14) [chars[cut - 1], chars[cut]] = ['\ud83d', '\ude00'];
  return chars.join('');
}

describe('long strings are written as JSON.stringify writes them', () => {
  const text = mixedText(200_000);

  for (const chunkSize of [65536, 1000]) {
    it(`at the root and nested, chunkSize ${chunkSize}`, async () => {
      for (const make of [() => text, () => ({ a: [1, text, 2], b: text.slice(7) })]) {
        const expected = JSON.stringify(make());
        for (const [variant, out] of Object.entries(await allVariants(make, { chunkSize }))) expect(out === expected, variant).toBe(true);
        const ascii = asciiOracle(make());
        for (const [variant, out] of Object.entries(await allVariants(make, { chunkSize, ensureAscii: true }))) expect(out === ascii, variant).toBe(true);
      }
    });
  }
});

// Heap sampling after a full GC, so the figure is what the dump retains (without one the bound
// below still fails on a text kept whole: hundreds of MB).
const gc = fullGc ?? ((): void => {});

describe('a long non-ASCII string under ensureAscii takes memory in proportion to a chunk', () => {
  const text = '中'.repeat(6_000_000); // 36M characters escaped

  /** The most the heap grew (retained, sampled after GC every 16 chunks) while writing `text`. */
  function growthWhile(write: (onChunk: () => void) => number): { growth: number; bytes: number } {
    gc();
    const base = process.memoryUsage().heapUsed;
    let max = base;
    let chunks = 0;
    const bytes = write(() => {
      if (++chunks % 16 !== 0) return;
      gc();
      max = Math.max(max, process.memoryUsage().heapUsed);
    });
    expect(chunks).toBeGreaterThan(100);
    return { growth: max - base, bytes };
  }

  it('stringifyChunksSync', () => {
    const { growth, bytes } = growthWhile((onChunk) => {
      let n = 0;
      for (const c of stringifyChunksSync(text, { ensureAscii: true })) {
        n += c.length;
        onChunk();
      }
      return n;
    });
    expect(bytes).toBe(text.length * 6 + 2);
    expect(growth, `heap grew by ${(growth / 2 ** 20).toFixed(1)} MB`).toBeLessThan(16 * 2 ** 20);
  });

  it('dumpSync to a file descriptor', () => {
    const { growth, bytes } = growthWhile((onChunk) => dumpSync(text, '/dev/null', { ensureAscii: true, onProgress: onChunk }).bytes);
    expect(bytes).toBe(text.length * 6 + 2);
    expect(growth, `heap grew by ${(growth / 2 ** 20).toFixed(1)} MB`).toBeLessThan(16 * 2 ** 20);
  });
});

describe('dumps: text longer than a string can be', () => {
  it('a string that would escape past the longest string: ERR_LIMIT at its path, not a RangeError', () => {
    const text = '中'.repeat(Math.ceil(constants.MAX_STRING_LENGTH / 6) + 10);
    let error: unknown;
    try {
      dumps({ rows: [1, text] }, { ensureAscii: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JSONDumpError);
    expect(error).toMatchObject({ code: 'ERR_LIMIT', path: '$.rows[1]' });
  });
});
