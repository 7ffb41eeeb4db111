// fast-check arbitraries shared by the property and fuzz tests: characters that break naive
// text handling (line breaks, `$` replacement patterns, lone surrogates, JSON's own punctuation),
// option values made of them, and values for the JSON.stringify and CPython oracles.

import fc from 'fast-check';
import { K, N, type PyKey, type PyKwargs, type PyNode } from './python.js';

// ---- characters and option values ---------------------------------------------------------

/** One "character" (one to three code units) chosen to break naive text handling. */
export const nastyChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(' ', '\t', '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0000', '\u001f', '\u007f', '\u0085', '\u00a0', '\ufeff') },
  { weight: 3, arbitrary: fc.constantFrom('$', '$$', '$&', '$`', "$'", '$1', '$<k>') },
  { weight: 2, arbitrary: fc.constantFrom('"', '\\', ',', ':', '[', ']', '{', '}', '/', '-', '0') },
  { weight: 2, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '😀', 'é', '東', '\u{10ffff}') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/** A string of nasty characters of `min` to `max` UTF-16 code units. */
export function nastyText(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .array(nastyChar, { minLength: min, maxLength: max })
    .map((parts) => parts.join('').slice(0, max))
    .filter((s) => s.length >= min);
}

/** Where JSON.stringify parity is promised: 1–10 spaces, or a string of 1–10 code units. */
export const parityIndent: fc.Arbitrary<number | string> = fc.oneof(fc.integer({ min: 1, max: 10 }), nastyText(1, 10));

/** Any indent the contract accepts: null, any integer (Python semantics), any string. */
export const anyIndent: fc.Arbitrary<number | string | null> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 14 }) },
  { weight: 3, arbitrary: nastyText(0, 14) },
);

/** `[itemSeparator, keySeparator]` of any characters, empty included. */
export const anySeparators: fc.Arbitrary<[string, string]> = fc.tuple(nastyText(0, 4), nastyText(0, 4));

// ---- values for JSON.stringify ------------------------------------------------------------

/** Strings: nasty characters, any code units, graphemes. */
export const jsText: fc.Arbitrary<string> = fc.oneof(
  nastyText(0, 8),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 5 }),
  fc.string({ maxLength: 8 }),
);

/** Object keys: a small pool (integer-like, empty, special names) and any text. */
export const jsKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', '', '0', '1', '10', '-1', '01', '4294967295', '__proto__', 'toJSON', 'é', '😀') },
  { weight: 2, arbitrary: jsText },
);

const jsNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, NaN, Infinity, -Infinity, 1e21, 1e-7, 5e-324, 2 ** 53, 1.7976931348623157e308, 0.1),
);

/** An object with these members (defined, not assigned: a "__proto__" key stays a member; the last of a repeated key wins). */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** Plain JSON data (what JSON.parse returns) with nasty strings and keys. */
export const { plain: plainJSON } = fc.letrec<{ plain: unknown }>((tie) => ({
  plain: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, 1e21, 5e-324)) },
    { weight: 3, arbitrary: jsText },
    { weight: 2, arbitrary: fc.array(tie('plain'), { maxLength: 5 }) },
    {
      weight: 2,
      arbitrary: fc.array(fc.tuple(jsKey, tie('plain')), { maxLength: 5 }).map(objectOf),
    },
  ),
}));

class Instance {
  x = 1;
  get computed(): string {
    return 'prototype getters are not own members';
  }
}

/** Values JSON.stringify writes: plain data and what it drops, converts or calls (toJSON, Date, boxes, holes, instances). */
export const { value: jsValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, undefined) },
    { weight: 3, arbitrary: jsNumber },
    { weight: 4, arbitrary: jsText },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(function fn() {}, Symbol('s')) },
    { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
    { weight: 1, arbitrary: fc.oneof(jsNumber.map((n) => new Number(n)), jsText.map((s) => new String(s)), fc.boolean().map((b) => new Boolean(b))) },
    { weight: 1, arbitrary: fc.constant(null).map(() => new Instance()) },
    { weight: 3, arbitrary: fc.array(tie('value'), { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.sparseArray(tie('value'), { maxLength: 6 }) },
    {
      weight: 3,
      arbitrary: fc.array(fc.tuple(jsKey, tie('value')), { maxLength: 5 }).map(objectOf),
    },
    {
      weight: 1,
      arbitrary: tie('value').map((inner) => ({
        toJSON: (k: string) => (k.length % 2 ? inner : { k, inner }),
        [fc.toStringMethod]: () => `{toJSON → ${fc.stringify(inner)}}`,
      })),
    },
  ),
}));

// ---- values for CPython -------------------------------------------------------------------

/** Strings for the python side: any code unit, graphemes, escapes, lone surrogates. */
export const pyString = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('', 'é', '😀', '東京', '\u007f', '\u0000\u001f', '"\\/', '\n\t\r\b\f', '\u2028', '\ufeff', '\ud800', '\udfff'),
);

export const pyFloat = fc.oneof(
  fc.double(),
  fc.double({ min: 1e15, max: 1e23 }),
  fc.double({ min: -1e23, max: -1e15 }),
  fc.double({ min: -1e-3, max: 1e-3 }),
  fc.double({ min: 1e-330, max: 1e-300 }),
  fc.constantFrom(1e-7, 1e16, 2.5e16, 5e-324, 1e21, 1.7976931348623157e308, 9007199254740992, 1e-4, 1e-5, 0.1, 1 / 3, -1.5, 1e22, 2 ** 64),
);

export const pyNumber = fc.oneof(fc.integer(), fc.maxSafeInteger(), pyFloat).map(N.num);

/** Map keys: strings, numbers from `num`, booleans, null and keys json cannot write. */
export const keysWith = (num: fc.Arbitrary<number>): fc.Arbitrary<PyKey> =>
  fc.oneof(
    { weight: 4, arbitrary: pyString.map(K.str) },
    { weight: 2, arbitrary: num.map(K.num) },
    { weight: 1, arbitrary: fc.boolean().map(K.bool) },
    { weight: 1, arbitrary: fc.constant(K.null()) },
    { weight: 1, arbitrary: fc.nat(3).map(K.bad) },
  );

export const pyKey = keysWith(fc.oneof(fc.integer({ min: -100, max: 100 }), pyFloat));

/** Values in both languages (helpers/python.ts): lists, dicts, Maps with any key, every number kind. */
export const { node: pyNode } = fc.letrec<{ node: PyNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 10, arbitrary: fc.constant(N.null()) },
    { weight: 10, arbitrary: fc.boolean().map(N.bool) },
    { weight: 40, arbitrary: pyNumber },
    { weight: 10, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(N.big) },
    { weight: 40, arbitrary: pyString.map(N.str) },
    { weight: 20, arbitrary: fc.array(tie('node'), { maxLength: 5 }).map((items) => N.list(...items)) },
    { weight: 20, arbitrary: fc.array(fc.tuple(pyString, tie('node')), { maxLength: 5 }).map(N.obj) },
    { weight: 20, arbitrary: fc.array(fc.tuple(pyKey, tie('node')), { maxLength: 5 }).map(N.map) },
    { weight: 1, arbitrary: fc.nat(3).map(N.bad) },
  ),
}));

// Values on which the 'js' dialect agrees with json.dumps (given the dialects' defaults
// explicitly, without sort_keys): no float (number text differs), no class instance.
const jsSafeKey = keysWith(fc.integer({ min: -1000, max: 1000 }));

export const { node: jsSafeNode } = fc.letrec<{ node: PyNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 1, arbitrary: fc.constant(N.null()) },
    { weight: 1, arbitrary: fc.boolean().map(N.bool) },
    { weight: 3, arbitrary: fc.oneof(fc.integer(), fc.maxSafeInteger()).map(N.num) },
    { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(N.big) },
    { weight: 4, arbitrary: pyString.map(N.str) },
    { weight: 2, arbitrary: fc.array(tie('node'), { maxLength: 5 }).map((items) => N.list(...items)) },
    { weight: 2, arbitrary: fc.array(fc.tuple(pyString, tie('node')), { maxLength: 5 }).map(N.obj) },
    { weight: 2, arbitrary: fc.array(fc.tuple(jsSafeKey, tie('node')), { maxLength: 5 }).map(N.map) },
  ),
}));


/** json.dumps keyword arguments, every one optional, indent and separators from these. */
export function kwargsWith(indent: fc.Arbitrary<PyKwargs['indent']>, separators: fc.Arbitrary<[string, string]>): fc.Arbitrary<PyKwargs> {
  return fc.record(
    {
      indent,
      separators,
      sort_keys: fc.boolean(),
      skipkeys: fc.boolean(),
      ensure_ascii: fc.boolean(),
      allow_nan: fc.boolean(),
      default: fc.constant(true as const),
    },
    { requiredKeys: [] },
  );
}

/** json.dumps keyword arguments, every one optional, indent and separators of any characters. */
export const anyKwargs: fc.Arbitrary<PyKwargs> = kwargsWith(anyIndent, anySeparators);

// ---- replacers ----------------------------------------------------------------------------

type ReplacerFn = (this: unknown, key: string, value: unknown) => unknown;

/** Deterministic replacers (functions of several kinds, allow-lists), named for failure messages. */
export const jsReplacer: fc.Arbitrary<ReplacerFn | (string | number)[]> = fc.oneof(
  fc.uniqueArray(jsKey, { maxLength: 3 }).map((keys) => {
    const drop = new Set(keys);
    return Object.assign(function dropKeys(k: string, v: unknown): unknown {
      return drop.has(k) ? undefined : v;
    }, { [fc.toStringMethod]: () => `dropKeys(${fc.stringify(keys)})` });
  }),
  fc.constant(function numbersPlusOne(_k: string, v: unknown): unknown {
    return typeof v === 'number' ? v + 1 : v;
  }),
  fc.constant(function stringsToLength(_k: string, v: unknown): unknown {
    return typeof v === 'string' ? v.length : v;
  }),
  fc.constant(function holder(this: unknown, k: string, v: unknown): unknown {
    return Array.isArray(this) && typeof v === 'string' ? `${k}@array` : v;
  }),
  fc.array(fc.oneof(jsKey, fc.nat(12)), { maxLength: 6 }),
);
