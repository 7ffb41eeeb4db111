// Differential fuzzing of the 'js' dialect's options against JSON.stringify, through every
// variant of helpers/variants.ts: generated values (toJSON, holes, boxes, dropped members,
// nasty strings and keys) with every option at once, indent and separators made of any
// characters (line breaks, `$` replacement patterns, lone surrogates, JSON punctuation).
//   1. Where the contract promises parity (replacer, indent 1–10 or a string of at most 10
//      characters): the text of JSON.stringify(value, replacer, indent) itself.
//   2. Every other option and combination: JSON.stringify's text rewritten outside strings
//      (helpers/stringify-oracle.ts: indent of any length, separators, ensureAscii, allowNaN,
//      default, sortKeys).
// Seeded and bounded (helpers/fuzz.ts); `npm run fuzz` runs more.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumps, stringifyChunksSync } from '../../src/index.js';
import { anyIndent, anySeparators, jsReplacer, jsValue, parityIndent, plainJSON } from '../helpers/arbitraries.js';
import { BASE_SEED, describeRun, fuzzParams } from '../helpers/fuzz.js';
import { NonFiniteInValue, stringifyLike, type StringifyLikeOptions } from '../helpers/stringify-oracle.js';
import { compareVariants, type Expected } from '../helpers/compare-variants.js';
import type { Options } from '../helpers/variants.js';

/** What every variant must do for this value and these options, by the JSON.stringify-based oracle (the case is skipped where it has none). */
function expectedFor(value: unknown, o: StringifyLikeOptions): Expected {
  try {
    return stringifyLike(value, o) ?? { code: 'ERR_UNSERIALIZABLE', path: '$' };
  } catch (e) {
    if (e instanceof NonFiniteInValue) return { code: 'ERR_NON_FINITE' };
    // No JSON.stringify equivalent for these options (NoEquivalent), or JSON.stringify itself
    // throws (a toJSON reached through an allow-list key such as "__proto__"): no oracle.
    fc.pre(false);
    throw e;
  }
}

/** Every variant of `value` with `options` gives `expected`; the same for dumps alone when `quick`. */
async function check(value: unknown, expected: Expected, options: Options, quick = false): Promise<void> {
  const c = await compareVariants(() => value, expected, options, {
    async: false,
    chunkSizes: [],
    stats: 'count',
    ...(quick ? { only: ['dumps', 'stringifyChunksSync'] } : {}),
  });
  expect(c.actual).toEqual(c.expected);
  expect(c.problems).toEqual([]);
}

/**
 * V8's JSON.stringify cuts an indent string at its first U+0000, against the ECMAScript
 * specification: such indents are compared with the rewritten oracle only, which keeps them.
 */
const withoutNUL = (indent: number | string): boolean => typeof indent === 'number' || !indent.includes('\u0000');

const chunkSize = fc.option(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(100)), { nil: undefined });

/** Options without the absent ones (an explicit `undefined` is not the same as absent to every reader). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const PARITY = 'js: replacer and indent (1–10, strings of ≤10 nasty characters) === JSON.stringify';
const PARITY_RUNS = 400;

const ALL_OPTIONS = 'js: every option at once === rewritten JSON.stringify';
const ALL_RUNS = 600;

const QUICK = 'js: every option at once, dumps and stringifyChunksSync only';
const QUICK_RUNS = 4000;

/** Every 'js' option at once, consistent with what the oracle can express. */
const jsOptions = fc
  .record(
    {
      replacer: fc.option(jsReplacer, { nil: undefined }),
      indent: fc.option(anyIndent, { nil: undefined }),
      separators: fc.option(anySeparators, { nil: undefined }),
      ensureAscii: fc.option(fc.boolean(), { nil: undefined }),
      allowNaN: fc.option(fc.boolean(), { nil: undefined }),
      useDefault: fc.boolean(),
      sortKeys: fc.boolean(),
      checkCircular: fc.option(fc.boolean(), { nil: undefined }),
      chunkSize,
    },
    { requiredKeys: [] },
  )
  .map(({ useDefault, ...o }) => {
    // The oracle's limits: sortKeys needs plain data and no replacer function; allowNaN and
    // default go through a replacer function, so not with an allow-list.
    if (o.sortKeys && typeof o.replacer === 'function') o.replacer = undefined;
    if (Array.isArray(o.replacer) && (o.allowNaN !== undefined || useDefault)) o.replacer = undefined;
    const withDefault = useDefault && !o.sortKeys ? { default: (v: unknown) => (typeof v === 'function' ? `fn ${v.name}` : `sym ${String(v)}`) } : {};
    return defined({ ...o, ...withDefault, sortKeys: o.sortKeys || undefined });
  });

function oracleOptions(o: Record<string, unknown>): StringifyLikeOptions {
  const { checkCircular: _c, chunkSize: _s, ...rest } = o;
  return rest as StringifyLikeOptions;
}

describe(`JSON.stringify differential fuzzing (base seed ${BASE_SEED})`, () => {
  it(`${PARITY} (${describeRun(PARITY, PARITY_RUNS)})`, async () => {
    await fc.assert(
      fc.asyncProperty(jsValue, fc.option(jsReplacer, { nil: undefined }), fc.option(parityIndent.filter(withoutNUL), { nil: undefined }), chunkSize, async (v, replacer, indent, size) => {
        let expected: string | undefined;
        try {
          expected = JSON.stringify(v, replacer as never, indent) as string | undefined;
        } catch {
          fc.pre(false); // values JSON.stringify throws for are outside the parity promise
        }
        await check(v, expected ?? { code: 'ERR_UNSERIALIZABLE', path: '$' }, defined({ replacer, indent, chunkSize: size }) as Options);
      }),
      fuzzParams(PARITY, PARITY_RUNS),
    );
  });

  /** Every option at once against the rewritten JSON.stringify: every variant, or dumps and stringifyChunksSync (`quick`). */
  const allOptions = (name: string, runs: number, quick: boolean): void => {
    it(`${name} (${describeRun(name, runs)})`, async () => {
      await fc.assert(
        fc.asyncProperty(jsOptions, jsValue, plainJSON, async (o, exotic, plain) => {
          const v = o.sortKeys ? plain : exotic;
          await check(v, expectedFor(v, oracleOptions(o)), o as Options, quick);
        }),
        fuzzParams(name, runs),
      );
    });
  };
  allOptions(ALL_OPTIONS, ALL_RUNS, false);
  allOptions(QUICK, QUICK_RUNS, true);
});

describe('the oracle itself', () => {
  // The rewriting of JSON.stringify's text must be exact where JSON.stringify can say it alone.
  it('with parity options it is JSON.stringify', () => {
    fc.assert(
      fc.property(jsValue, parityIndent.filter(withoutNUL), (v, indent) => {
        expect(stringifyLike(v, { indent })).toBe(JSON.stringify(v, null, indent));
        expect(stringifyLike(v, {})).toBe(JSON.stringify(v));
      }),
      fuzzParams('oracle parity', 300),
    );
  });
  it('known texts', () => {
    const v = { a: [1, 'é"', NaN], '': {}, b: [] };
    expect(stringifyLike(v, { indent: 0, separators: [' ;', ' = '] })).toBe('{\n"a" = [\n1 ;\n"é\\"" ;\nnull\n] ;\n"" = {} ;\n"b" = []\n}');
    expect(stringifyLike(v, { ensureAscii: true, allowNaN: true })).toBe('{"a":[1,"\\u00e9\\"",NaN],"":{},"b":[]}');
    expect(stringifyLike(['😀\ud800'], { ensureAscii: true })).toBe('["\\ud83d\\ude00\\ud800"]');
    expect(stringifyLike({ b: 1, a: { d: 1, c: 2 } }, { sortKeys: true, indent: '$&' })).toBe('{\n$&"a": {\n$&$&"c": 2,\n$&$&"d": 1\n$&},\n$&"b": 1\n}');
    expect(() => stringifyLike([Infinity], { allowNaN: false })).toThrow(NonFiniteInValue);
    // dumps agrees on these hand-checked texts
    expect(dumps(v, { indent: 0, separators: [' ;', ' = '] })).toBe(stringifyLike(v, { indent: 0, separators: [' ;', ' = '] }));
    expect([...stringifyChunksSync(v, { ensureAscii: true, allowNaN: true, chunkSize: 2 })].join('')).toBe('{"a":[1,"\\u00e9\\"",NaN],"":{},"b":[]}');
  });
});
