// vitest assertions over the variant table (variants.ts): a value through every variant must
// give the expected text or error, and break none of the variants' invariants.
import { expect } from 'vitest';
import { compareVariants, type Expected, type ExpectFlags } from './compare-variants.js';
import type { Options } from './variants.js';

export type { Expected, ExpectFlags };

/**
 * Every applicable variant, at the options' chunk size and at each of `flags.chunkSizes`
 * (default [3]), writes `expected` (a text), raises the JSONDumpError `{code, path}`, or lets
 * `{throws: error}` through unchanged. With `flags.sync`, the sync variants are held to that
 * instead (a value holding async things: ERR_ASYNC_VALUE at its path).
 */
export async function expectVariants(value: unknown, expected: Expected, options?: Options, flags: ExpectFlags = {}): Promise<void> {
  const c = await compareVariants(value, expected, options, flags);
  expect(c.actual).toEqual(c.expected);
  expect(c.problems).toEqual([]);
}

/** Every applicable variant raises JSONDumpError `code` at `path`. */
export function expectCodeEverywhere(value: unknown, code: string, path: string, options?: Options, flags?: ExpectFlags): Promise<void> {
  return expectVariants(value, { code, path }, options, flags);
}
