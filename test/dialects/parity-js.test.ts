// JSON.stringify parity, property-based: for generated values (lone surrogates, -0, NaN,
// integer-like keys, sparse arrays, toJSON, undefined/function/symbol members, Dates, boxed
// primitives, class instances, shared references) with a generated replacer (function or
// allow-list) and indent (absent, 1–10, or a string of 1–10 characters), `dumps` — and, for
// fewer runs, every output variant — is byte-identical to JSON.stringify(value, replacer, indent).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpLines, dumps, JSONDumpError } from '../../src/index.js';
import { collector } from '../helpers/io.js';
import { allVariants, describeError, endsWithHighSurrogate, VARIANT_NAMES, type Options } from '../helpers/variants.js';
import { stringifyChunksSync } from '../../src/index.js';

type Replacer = ((this: unknown, key: string, value: unknown) => unknown) | unknown[] | undefined;
type Indent = number | string | undefined;

// ---- arbitraries --------------------------------------------------------------------------

const loneSurrogate = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\ude00');

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ maxLength: 10 }),
  fc.tuple(fc.string({ maxLength: 3 }), loneSurrogate, fc.string({ unit: 'binary', maxLength: 3 })).map((a) => a.join('')),
  fc.constantFrom('', '"', '\\', '\n\r\t\b\f', '\u0000\u001f', '\u2028\u2029', '\u007f', '😀', 'é東', '\ufeff'),
);

/** Keys: a small pool (so allow-lists and replacers hit them), integer-like keys, and any text. */
const KEY_POOL = ['a', 'b', 'c', '', '0', '1', '2', '10', '-1', '01', '1.5', '4294967294', '4294967295', 'é', '😀', '__proto__', 'constructor', 'toJSON'];
const key = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KEY_POOL) }, { weight: 1, arbitrary: text }, { weight: 1, arbitrary: fc.nat(30).map(String) });

const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, 1e21, 1e-7, 5e-324, 2 ** 53, -(2 ** 53) - 2, 1.7976931348623157e308, 0.1, 123e-20),
);

function namedFunction(): number {
  return 42;
}

class Instance {
  [k: string]: unknown;
  get computed(): string {
    return 'prototype getters are not own members';
  }
  method(): number {
    return 1;
  }
}

/** toJSON inherited from the prototype, as Date has it. */
class ProtoToJSON {
  constructor(readonly inner: unknown) {}
  toJSON(key: string): unknown {
    return key.length % 2 === 0 ? this.inner : { key, inner: this.inner };
  }
  [fc.toStringMethod](): string {
    return `ProtoToJSON(${fc.stringify(this.inner)})`;
  }
}

/** An object whose members are enumerable getters (JSON.stringify reads them). */
function withGetters(members: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(members)) Object.defineProperty(o, k, { get: () => v, enumerable: true, configurable: true });
  Object.defineProperty(o, fc.toStringMethod, { value: () => `getters ${fc.stringify(members)}`, enumerable: false });
  return o;
}

/** An Instance with these own members (defined, not assigned: a "__proto__" key stays a member). */
function instanceWith(members: Record<string, unknown>): Instance {
  const o = new Instance();
  for (const [k, v] of Object.entries(members)) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(o, fc.toStringMethod, { value: () => `Instance ${fc.stringify(members)}`, enumerable: false });
  return o;
}

const leaf = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 4, arbitrary: number },
  { weight: 5, arbitrary: text },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(namedFunction) },
  { weight: 1, arbitrary: fc.string({ maxLength: 3 }).map((s) => Symbol(s)) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
  { weight: 1, arbitrary: number.map((n) => new Number(n)) },
  { weight: 1, arbitrary: text.map((s) => new String(s)) },
  { weight: 1, arbitrary: fc.boolean().map((b) => new Boolean(b)) },
);

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    { weight: 6, arbitrary: leaf },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 6 }) },
    { weight: 1, arbitrary: fc.sparseArray(tie('value'), { maxLength: 8 }) },
    { weight: 3, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 6 }) },
    // toJSON: called with the member's key (array index as a string, "" at the root).
    {
      weight: 1,
      arbitrary: fc.tuple(tie('value'), fc.boolean()).map(([inner, withKey]) => ({
        toJSON(k: string): unknown {
          return withKey ? { key: k, inner } : inner;
        },
        [fc.toStringMethod]: () => `{toJSON: (k) => ${withKey ? `{key: k, inner: ${fc.stringify(inner)}}` : fc.stringify(inner)}}`,
      })),
    },
    // class instances: own enumerable members only, as JSON.stringify writes them
    { weight: 1, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 3 }).map(instanceWith) },
    { weight: 1, arbitrary: tie('value').map((inner) => new ProtoToJSON(inner)) },
    { weight: 1, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 3 }).map(withGetters) },
    // the same object referenced twice is not a cycle
    { weight: 1, arbitrary: tie('value').map((x) => ({ first: x, again: [x, x] })) },
  ),
}));

/** Deterministic replacer functions of several kinds (none of them can recurse forever). */
const replacerFunction: fc.Arbitrary<Replacer> = fc.oneof(
  fc.uniqueArray(fc.constantFrom(...KEY_POOL), { maxLength: 4 }).map((keys) => {
    const drop = new Set(keys);
    return function dropKeys(k: string, v: unknown): unknown {
      return drop.has(k) ? undefined : v;
    };
  }),
  fc.constant(function numbersPlusOne(_k: string, v: unknown): unknown {
    return typeof v === 'number' ? v + 1 : v;
  }),
  fc.constant(function stringsToLength(_k: string, v: unknown): unknown {
    return typeof v === 'string' ? v.length : v;
  }),
  fc.constant(function unrepresentableToText(_k: string, v: unknown): unknown {
    return v === undefined ? 'undefined' : typeof v === 'function' ? 'function' : typeof v === 'symbol' ? 'symbol' : v;
  }),
  fc.constant(function holderCheck(this: unknown, k: string, v: unknown): unknown {
    // The holder is the object/array that has the member (the wrapper {"": value} at the root).
    if (this === null || typeof this !== 'object') return 'no holder';
    return k in this ? v : 'not in holder';
  }),
  fc.constant(function wrapA(k: string, v: unknown): unknown {
    return k === 'a' ? { wrapped: typeof v } : v;
  }),
  fc.constant(function boxes(_k: string, v: unknown): unknown {
    // Boxed results are unwrapped after the replacer, as JSON.stringify does.
    return typeof v === 'number' ? new Number(v) : typeof v === 'string' ? new String(v) : typeof v === 'boolean' ? new Boolean(v) : v;
  }),
  fc.constant(function rootOnly(k: string, v: unknown): unknown {
    return k === '' ? [v, typeof v] : v;
  }),
);

const allowList: fc.Arbitrary<Replacer> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...KEY_POOL) },
    { weight: 1, arbitrary: fc.nat(12) },
    { weight: 1, arbitrary: text },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(new String('a'), new Number(1), null, {}, true) },
  ),
  { maxLength: 8 },
);

const replacer: fc.Arbitrary<Replacer> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: replacerFunction },
  { weight: 1, arbitrary: allowList },
);

const indent: fc.Arbitrary<Indent> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 10 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom('\t', ' ', '  ', '--', '0123456789') },
);

function optionsOf(r: Replacer, i: Indent): Options {
  const o: Record<string, unknown> = {};
  if (r !== undefined) o.replacer = r;
  if (i !== undefined) o.indent = i;
  return o as Options;
}

/** dumps' outcome: its text, or the error it raised. */
function tryDumps(v: unknown, options: Options): { text: string } | { error: unknown } {
  try {
    return { text: dumps(v, options) };
  } catch (error) {
    return { error };
  }
}

/** JSON.stringify's text (undefined: not JSON); values it throws for are outside the parity promise. */
function stringifyOrSkip(v: unknown, r: Replacer, i: Indent): string | undefined {
  let expected: string | undefined;
  let threw = false;
  try {
    expected = JSON.stringify(v, r as never, i) as string | undefined;
  } catch {
    threw = true;
  }
  fc.pre(!threw);
  return expected;
}

function checkAgainstStringify(v: unknown, r: Replacer, i: Indent): void {
  const expected = stringifyOrSkip(v, r, i);
  const actual = tryDumps(v, optionsOf(r, i));
  if (expected === undefined) {
    // Not JSON: every function raises ERR_UNSERIALIZABLE (API.md).
    expect('error' in actual && actual.error instanceof JSONDumpError && actual.error.code).toBe('ERR_UNSERIALIZABLE');
    return;
  }
  if ('error' in actual) throw new Error(`dumps raised ${describeError(actual.error)}; JSON.stringify wrote ${JSON.stringify(expected.slice(0, 200))}`);
  expect(actual.text).toBe(expected);
}

// ---- properties ---------------------------------------------------------------------------

describe('JSON.stringify parity (property-based)', () => {
  it('dumps(v) === JSON.stringify(v)', () => {
    fc.assert(
      fc.property(value, (v) => checkAgainstStringify(v, undefined, undefined)),
      { numRuns: 1000 },
    );
  });

  it('dumps(v, {replacer, indent}) === JSON.stringify(v, replacer, indent)', () => {
    fc.assert(
      fc.property(value, replacer, indent, (v, r, i) => checkAgainstStringify(v, r, i)),
      { numRuns: 1000 },
    );
  });

  it('plain JSON data (fc.jsonValue) with indent', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), indent, (v, i) => checkAgainstStringify(v, undefined, i)),
      { numRuns: 500 },
    );
  });

  it("sortKeys: JSON.stringify with the sorted list of every key as allow-list ('js' order: UTF-16 code units)", () => {
    const allKeys = (v: unknown, into: Set<string>): Set<string> => {
      if (Array.isArray(v)) v.forEach((x) => allKeys(x, into));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) allKeys(x, into.add(k));
      return into;
    };
    const json = fc.jsonValue({ maxDepth: 5 });
    const keyed = fc.dictionary(key, json, { maxKeys: 8 });
    fc.assert(
      fc.property(fc.oneof(json, keyed, fc.array(keyed, { maxLength: 4 })), indent, (v, i) => {
        const keys = allKeys(v, new Set());
        // An allow-list reads inherited members too: "__proto__" would pick up Object.prototype.
        fc.pre(!keys.has('__proto__'));
        const expected = JSON.stringify(v, [...keys].sort(), i);
        expect(dumps(v, { ...optionsOf(undefined, i), sortKeys: true } as Options)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('top-level undefined, function and symbol raise ERR_UNSERIALIZABLE', () => {
    fc.assert(
      fc.property(fc.constantFrom<unknown>(undefined, namedFunction, Symbol('x'), () => 0), indent, (v, i) => {
        expect(JSON.stringify(v, null, i)).toBeUndefined();
        checkAgainstStringify(v, undefined, i);
      }),
      { numRuns: 50 },
    );
  });

  it('the replacer is called with the same keys, values and holders, in the same order', () => {
    fc.assert(
      fc.property(value, indent, (v, i) => {
        const log = (calls: unknown[][]) =>
          function (this: unknown, k: string, x: unknown): unknown {
            calls.push([k, typeof x, x === null ? 'null' : typeof x === 'object' ? Object.keys(x as object).join(',') : String(x), Array.isArray(this)]);
            return x;
          };
        const expectedCalls: unknown[][] = [];
        const actualCalls: unknown[][] = [];
        const expected = JSON.stringify(v, log(expectedCalls), i) as string | undefined;
        const actual = tryDumps(v, optionsOf(log(actualCalls), i));
        if (expected !== undefined) expect('text' in actual && actual.text).toBe(expected);
        expect(actualCalls).toEqual(expectedCalls);
      }),
      { numRuns: 300 },
    );
  });

  it('toJSON added to Object.prototype / Array.prototype / Date.prototype is honoured', () => {
    const protos = { Object: Object.prototype, Array: Array.prototype, Date: Date.prototype } as Record<string, object>;
    fc.assert(
      fc.property(value, fc.constantFrom('Object', 'Array', 'Date'), indent, (v, which, i) => {
        const proto = protos[which] as { toJSON?: unknown };
        const saved = Object.getOwnPropertyDescriptor(proto, 'toJSON');
        let expected: string | undefined;
        let actual: { text: string } | { error: unknown };
        Object.defineProperty(proto, 'toJSON', {
          value: function (this: unknown, k: string): unknown {
            return Array.isArray(this) ? { array: this.length, k } : this instanceof Date ? `date ${k}` : typeof this === 'object' && this !== null ? Object.keys(this).length : this;
          },
          writable: true,
          configurable: true,
          enumerable: false,
        });
        try {
          expected = stringifyOrSkip(v, undefined, i);
          actual = tryDumps(v, optionsOf(undefined, i));
        } finally {
          if (saved) Object.defineProperty(proto, 'toJSON', saved);
          else delete proto.toJSON;
        }
        if (expected === undefined) return;
        expect('text' in actual ? actual.text : describeError(actual.error)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('dumpLines: each record is the line JSON.stringify(record) writes', async () => {
    const record = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.dictionary(key, fc.oneof(leaf, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 5 }),
      fc.array(leaf, { maxLength: 5 }),
      fc.date({ noInvalidDate: false }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 20 }), fc.constantFrom(undefined, 1, 16), fc.boolean(), async (records, chunkSize, lazy) => {
        const lines = records.map((r) => JSON.stringify(r) as string | undefined);
        fc.pre(lines.every((l) => l !== undefined));
        const sink = collector();
        const source = lazy ? (function* () { yield* records; })() : records;
        const stats = await dumpLines(source, sink.w, chunkSize === undefined ? {} : { chunkSize });
        const expected = lines.map((l) => l + '\n').join('');
        expect(sink.text()).toBe(expected);
        expect(stats.items).toBe(records.length);
        expect(stats.bytes).toBe(Buffer.byteLength(expected));
      }),
      { numRuns: 200 },
    );
  });

  it('every variant, at any chunk size, is identical to JSON.stringify', async () => {
    await fc.assert(
      fc.asyncProperty(value, replacer, indent, fc.constantFrom(undefined, 1, 5, 64), async (v, r, i, chunkSize) => {
        const expected = JSON.stringify(v, r as never, i) as string | undefined;
        fc.pre(expected !== undefined);
        const options = optionsOf(r, i) as Record<string, unknown>;
        if (chunkSize !== undefined) options.chunkSize = chunkSize;
        const texts = await allVariants(() => v, options as Options, { async: false, oracle: expected });
        // dumpLines and encodeTokens apply to some values only (records sources, JSON texts)
        expect(Object.keys(texts)).toEqual(expect.arrayContaining(VARIANT_NAMES.filter((n) => n !== 'dumpLines' && n !== 'encodeTokens')));
        for (const [variant, t] of Object.entries(texts)) expect({ variant, text: t }).toEqual({ variant, text: expected });
        for (const chunk of stringifyChunksSync(v, options as Options)) expect(endsWithHighSurrogate(chunk)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});
