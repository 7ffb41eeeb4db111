// Lines up every variant's outcome with what is expected, and checks what must hold beside the
// text: stats.bytes against the bytes written, the variants' stats against each other (and,
// asked, against the values written), no chunk boundary inside a surrogate pair, one error path.

import { JSONDumpError } from '../../src/index.js';
import { throughUTF8 } from './variant-io.js';
import {
  allVariantsSettled, describeError, endsWithHighSurrogate, startsWithLowSurrogate, SYNC_VARIANTS, VARIANT_NAMES, VARIANTS,
  type Options, type Settled, type Variant, type VariantFlags,
} from './variants.js';
import { isJSON } from './variant-probes.js';

/**
 * What every variant must do: write this text, raise this JSONDumpError (at this path; any path
 * when it is absent), or let this exact error through.
 */
export type Expected = string | { code: string; path?: string } | { throws: unknown };

/** An outcome as one comparable string: the text, `#bytes N` (stats only), `!CODE PATH`, `!same error`, `!throw …`. */
function outcomeText(r: Settled, expected: Expected): string {
  if (r.ok) return r.text === null ? `#bytes ${r.stats?.bytes}` : r.text;
  if (typeof expected === 'object' && 'throws' in expected && r.error === expected.throws) return '!same error';
  if (r.error instanceof JSONDumpError) {
    return typeof expected === 'object' && 'code' in expected && expected.path === undefined ? `!${r.error.code}` : `!${r.error.code} ${r.error.path}`;
  }
  return `!throw ${describeError(r.error)}`;
}

function expectedText(expected: Expected, r: Settled): string {
  if (typeof expected === 'string') {
    if (r.ok && r.text === null) return `#bytes ${Buffer.byteLength(expected)}`;
    return r.ok && r.encoded ? throughUTF8(expected) : expected;
  }
  if ('throws' in expected) return '!same error';
  return expected.path === undefined ? `!${expected.code}` : `!${expected.code} ${expected.path}`;
}

/** Problems beyond the text: the variant's own checks, stats.bytes against what was written. */
function sideProblems(name: string, r: Settled): string[] {
  const out = (r.problems ?? []).map((p) => `${name}: ${p}`);
  if (r.ok && r.stats !== undefined) {
    const written = r.written ?? r.text;
    if (written !== null && r.stats.bytes !== Buffer.byteLength(written)) {
      out.push(`${name}: stats.bytes ${r.stats.bytes}, wrote ${Buffer.byteLength(written)} bytes`);
    }
  }
  return out;
}

/** Longer expected texts are run at the options' chunk size only. */
export const MAX_TEXT_FOR_CHUNK_RUNS = 20_000;

export interface ExpectFlags extends VariantFlags {
  /**
   * The stats the variants return: they agree (default); 'count': they also count the values
   * of the text written (for values without rawJSON, whose fragment counts as one); false: not
   * checked.
   */
  stats?: boolean | 'count';
  /** The sync variants' expectation, when it differs (a value holding async things: ERR_ASYNC_VALUE). */
  sync?: Expected;
  /**
   * chunkSize values to run the chunked variants at, besides the options' own (default [3], or
   * none when the options set a chunkSize; none for an expected text longer than
   * MAX_TEXT_FOR_CHUNK_RUNS).
   */
  chunkSizes?: readonly number[];
}

/**
 * The variants that return stats must agree on them: the same values and items for every one,
 * and for dumpLines the same items (its lines) and one value fewer (no enclosing array).
 */
export function statsDisagreement(settled: Record<Variant, Settled>, suffix: string): string[] {
  const stats = Object.entries(settled).flatMap(([name, r]) => (r.ok && r.stats !== undefined ? [[name, r.stats] as const] : []));
  const reference = stats.find(([name]) => name !== 'dumpLines');
  if (reference === undefined) return [];
  const [refName, ref] = reference;
  const out: string[] = [];
  for (const [name, st] of stats) {
    const want = name === 'dumpLines' ? { values: ref.values - 1, items: ref.items } : { values: ref.values, items: ref.items };
    if (st.values !== want.values || st.items !== want.items) {
      out.push(`${name + suffix}: stats values ${st.values}, items ${st.items}; ${refName} says values ${ref.values}, items ${ref.items}`);
    }
  }
  return out;
}

/**
 * The JSON values of a JSON text (scalars and containers, keys not counted), read from the text
 * itself: duplicate keys (a Map with keys 1 and "1") count twice, as they are written.
 */
export function countJSONValues(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      let k = j + 1;
      while (k < text.length && ' \t\n\r'.includes(text[k]!)) k++;
      if (text[k] !== ':') n++;
      i = j;
    } else if (c === '{' || c === '[') {
      n++;
    } else if (/[-0-9a-zA-Z]/.test(c)) {
      n++;
      while (i + 1 < text.length && /[-+.0-9a-zA-Z]/.test(text[i + 1]!)) i++;
    }
  }
  return n;
}

/** stats.values against the values of the text written, for every variant whose text is JSON. */
export function statsMiscount(settled: Record<Variant, Settled>, suffix = ''): string[] {
  const out: string[] = [];
  for (const [name, r] of Object.entries(settled)) {
    if (!r.ok || r.stats === undefined || r.text === null) continue;
    const text = r.written ?? r.text;
    const lines = name === 'dumpLines' ? text.split('\n').filter((l) => l !== '') : [text];
    if (!lines.every(isJSON)) continue;
    const count = lines.reduce((sum, l) => sum + countJSONValues(l), 0);
    if (r.stats.values !== count) out.push(`${name + suffix}: stats.values ${r.stats.values}, the text written holds ${count} values`);
  }
  return out;
}


export interface Comparison {
  /** Variant label → outcome, and the expected outcome for the same labels. */
  actual: Record<string, string>;
  expected: Record<string, string>;
  /** Broken invariants. */
  problems: string[];
}

/** Runs every variant (at the options' chunk size and at each of `chunkSizes`) and lines up the outcomes with `expected`. */
export async function compareVariants(value: unknown, expected: Expected, options?: Options, flags: ExpectFlags = {}): Promise<Comparison> {
  const actual: Record<string, string> = {};
  const want: Record<string, string> = {};
  const problems: string[] = [];
  const oracle = flags.oracle ?? (typeof expected === 'string' ? expected : undefined);
  const async = flags.sync !== undefined ? true : flags.async;
  const runs: [string, Options | undefined][] = [['', options]];
  // Small chunks of a long text cost a write per chunk in the file variants, and find nothing
  // that the same chunk size on a short text would not.
  const ownChunkSize = (options as Record<string, unknown> | undefined)?.chunkSize !== undefined;
  const long = typeof expected === 'string' && expected.length > MAX_TEXT_FOR_CHUNK_RUNS;
  for (const size of long ? [] : (flags.chunkSizes ?? (ownChunkSize ? [] : [3]))) runs.push([` chunkSize ${size}`, { ...options, chunkSize: size } as Options]);
  const paths = new Map<string, string[]>(); // error path → variants that raised there
  for (const [suffix, o] of runs) {
    const only = (flags.only ?? VARIANT_NAMES).filter((n) => suffix === '' || VARIANTS.find((d) => d.name === n)?.chunkRuns !== false);
    const split = new Set<Variant>();
    const last = new Map<Variant, string>();
    const onChunk = (variant: Variant, chunk: string | Buffer): void => {
      flags.onChunk?.(variant, chunk);
      if (typeof chunk !== 'string' || chunk.length === 0) return;
      if (endsWithHighSurrogate(last.get(variant) ?? '') && startsWithLowSurrogate(chunk)) split.add(variant);
      last.set(variant, chunk);
    };
    const settled = await allVariantsSettled(value, o, { ...flags, async, only, oracle, onChunk });
    for (const [name, r] of Object.entries(settled) as [Variant, Settled][]) {
      actual[name + suffix] = outcomeText(r, expected);
      want[name + suffix] = expectedText(expected, r);
      problems.push(...sideProblems(name + suffix, r));
      if (split.has(name)) problems.push(`${name + suffix}: a chunk boundary splits a surrogate pair`);
      if (!r.ok && r.error instanceof JSONDumpError) paths.set(r.error.path, [...(paths.get(r.error.path) ?? []), name + suffix]);
    }
    if (flags.stats !== false) problems.push(...statsDisagreement(settled, suffix));
    if (flags.stats === 'count') problems.push(...statsMiscount(settled, suffix));
    if (flags.sync !== undefined) {
      const syncOnly = only.filter((n) => SYNC_VARIANTS.has(n));
      const syncSettled = await allVariantsSettled(value, o, { ...flags, async: false, only: syncOnly, oracle });
      for (const [name, r] of Object.entries(syncSettled) as [Variant, Settled][]) {
        actual[name + suffix] = outcomeText(r, flags.sync);
        want[name + suffix] = expectedText(flags.sync, r);
        problems.push(...sideProblems(name + suffix, r));
      }
    }
  }
  // Without an expected path, the variants must still agree on one.
  if (paths.size > 1) problems.push(`the variants raise at different paths: ${[...paths].map(([p, vs]) => `${p} (${vs.join(', ')})`).join('; ')}`);
  return { actual, expected: want, problems };
}
