// JSON.stringify's own call, `(value, replacer, space)`: when the second argument is a function,
// an array or null, or a third one is given, dumps (and the chunk and stream functions) write
// exactly what JSON.stringify(value, replacer, space) writes; measure and measureSync count its
// bytes, and dump and dumpSync write it to any destination (dumpLines takes the replacer and
// refuses an indenting space, as it refuses `indent`). Property-based: generated values,
// replacers of every type JSON.stringify takes or ignores, spaces of every type it takes or
// ignores (numbers past 10, negative, fractional, NaN; strings longer than 10; boxed ones).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import {
  createStringifyStream, createStringifyWebStream, dump, dumpLines, dumps, dumpSync, JSONDumpError, measure, measureSync,
  stringifyChunks, stringifyChunksSync,
} from '../../src/index.js';
import { collector, joinAsync, streamText, useTempDir } from '../helpers/io.js';

const tmp = useTempDir('json-stringify-call');

type Call = (value: unknown, replacer: unknown, space: unknown, arity: 2 | 3) => Promise<string>;

/** Every function with the call form, as a string of its whole output. */
const CALLS: Record<string, Call> = {
  dumps: async (v, r, s, arity) => (arity === 2 ? dumps(v, r as never) : dumps(v, r as never, s as never)),
  stringifyChunksSync: async (v, r, s, arity) =>
    [...(arity === 2 ? stringifyChunksSync(v, r as never) : stringifyChunksSync(v, r as never, s as never))].join(''),
  stringifyChunks: (v, r, s, arity) => joinAsync(arity === 2 ? stringifyChunks(v, r as never) : stringifyChunks(v, r as never, s as never)),
  createStringifyStream: (v, r, s, arity) =>
    streamText(arity === 2 ? createStringifyStream(v, r as never) : createStringifyStream(v, r as never, s as never)),
  createStringifyWebStream: (v, r, s, arity) =>
    new Response(arity === 2 ? createStringifyWebStream(v, r as never) : createStringifyWebStream(v, r as never, s as never)).text(),
  'dump into a Writable': async (v, r, s, arity) => {
    const c = collector();
    await (arity === 2 ? dump(v, c.w, r as never) : dump(v, c.w, r as never, s as never));
    return c.text();
  },
  'dumpSync to a path': async (v, r, s, arity) => {
    const p = tmp.file();
    if (arity === 2) dumpSync(v, p, r as never);
    else dumpSync(v, p, r as never, s as never);
    return fs.readFileSync(p, 'utf8');
  },
};

/** The functions that count the text: its length in UTF-8 bytes, as the same text written. */
const COUNTS: Record<string, (value: unknown, replacer: unknown, space: unknown, arity: 2 | 3) => Promise<number>> = {
  measure: async (v, r, s, arity) => (await (arity === 2 ? measure(v, r as never) : measure(v, r as never, s as never))).bytes,
  measureSync: async (v, r, s, arity) => (arity === 2 ? measureSync(v, r as never) : measureSync(v, r as never, s as never)).bytes,
};

const value = fc.anything({
  maxDepth: 4,
  withBoxedValues: true,
  withDate: true,
  withNullPrototype: true,
  withSparseArray: true,
  withObjectString: true,
  key: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('a', 'b', '0', '1', '10')),
});

/** Replacer functions of a few kinds: deterministic, so JSON.stringify and dumps see the same. */
const replacerFn = fc.constantFrom(
  function keep(this: unknown, _k: string, v: unknown) {
    return v;
  },
  function dropA(this: unknown, k: string, v: unknown) {
    return k.startsWith('a') ? undefined : v;
  },
  function doubleNumbers(this: unknown, _k: string, v: unknown) {
    return typeof v === 'number' ? v * 2 : v;
  },
  function keyAndHolder(this: unknown, k: string, v: unknown) {
    return k === '1' ? `${k}:${Array.isArray(this) ? 'array' : typeof this}` : v;
  },
);

const replacer = fc.oneof(
  replacerFn,
  fc.array(fc.oneof(fc.constantFrom('a', 'b', '0', '1', '10'), fc.string({ maxLength: 3 }), fc.integer({ min: -2, max: 12 })), { maxLength: 5 }),
  fc.array(fc.oneof(fc.constantFrom('a', '1').map((s) => new String(s)), fc.constantFrom(0, 1).map((n) => new Number(n)), fc.constant(true), fc.constant({})), { maxLength: 4 }),
  fc.constantFrom(null, undefined, 0, 'a', true, {}),
);

const space = fc.oneof(
  fc.integer({ min: -5, max: 20 }),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, 0.5, 1.9, 10.99, -0),
  fc.string({ maxLength: 14 }),
  fc.constantFrom('\t', ' \t ', ''),
  fc.integer({ min: -3, max: 15 }).map((n) => new Number(n)),
  fc.string({ maxLength: 14 }).map((s) => new String(s)),
  fc.constantFrom(null, undefined, true, {}, [2]),
);

/**
 * ECMA-262 (JSON.stringify, step 6) makes a space number below 1 after truncation compact; V8
 * writes line breaks without indentation for 0 < space < 1. The standard is the oracle there.
 */
function standardSpace(s: unknown): unknown {
  const n = typeof s === 'number' ? s : s instanceof Number ? Number(s) : NaN;
  return n > 0 && n < 1 ? 0 : s;
}

/** What the call must do: JSON.stringify's text, or ERR_UNSERIALIZABLE where it returns undefined. */
function expected(v: unknown, r: unknown, s: unknown): string | 'ERR_UNSERIALIZABLE' | { thrown: unknown } {
  try {
    return JSON.stringify(v, r as never, standardSpace(s) as never) ?? 'ERR_UNSERIALIZABLE';
  } catch (thrown) {
    return { thrown };
  }
}

async function outcome(call: Call, v: unknown, r: unknown, s: unknown, arity: 2 | 3): Promise<string | { thrown: unknown }> {
  try {
    return await call(v, r, s, arity);
  } catch (err) {
    if (err instanceof JSONDumpError && err.code === 'ERR_UNSERIALIZABLE' && err.path === '$') return 'ERR_UNSERIALIZABLE';
    return { thrown: err };
  }
}

/** JSON.stringify's result for a value it throws on (a cycle, a bigint): only that both throw. */
function agree(got: string | { thrown: unknown }, want: ReturnType<typeof expected>): void {
  if (typeof want === 'object') expect(typeof got).toBe('object');
  else expect(got).toBe(want);
}

describe('(value, replacer, space) means JSON.stringify(value, replacer, space)', () => {
  it('dumps, with three arguments: thousands of generated calls', async () => {
    await fc.assert(
      fc.asyncProperty(value, replacer, space, async (v, r, s) => {
        agree(await outcome(CALLS.dumps, v, r, s, 3), expected(v, r, s));
      }),
      { numRuns: 3000 },
    );
  });

  it('dumps, with two arguments (a function, an array or null second)', async () => {
    await fc.assert(
      fc.asyncProperty(value, fc.oneof(replacerFn, fc.array(fc.constantFrom('a', 'b', '0', 1)), fc.constant(null)), async (v, r) => {
        agree(await outcome(CALLS.dumps, v, r, undefined, 2), expected(v, r, undefined));
      }),
      { numRuns: 1000 },
    );
  });

  for (const name of ['stringifyChunksSync', 'stringifyChunks', 'createStringifyStream', 'createStringifyWebStream', 'dump into a Writable', 'dumpSync to a path']) {
    it(`${name}: the same text`, async () => {
      await fc.assert(
        fc.asyncProperty(value, replacer, space, fc.constantFrom(2, 3) as fc.Arbitrary<2 | 3>, async (v, r, s, arity) => {
          if (arity === 2 && !(r === null || typeof r === 'function' || Array.isArray(r))) return;
          agree(await outcome(CALLS[name], v, r, s, arity), expected(v, r, arity === 2 ? undefined : s));
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('measure, dump and dumpLines take the call too', () => {
  for (const name of Object.keys(COUNTS)) {
    it(`${name}: the UTF-8 length of JSON.stringify's text (a Content-Length)`, async () => {
      expect(await COUNTS[name]({ a: [1, 'é'] }, null, 2, 3)).toBe(Buffer.byteLength(JSON.stringify({ a: [1, 'é'] }, null, 2)));
      await fc.assert(
        fc.asyncProperty(value, replacer, space, fc.constantFrom(2, 3) as fc.Arbitrary<2 | 3>, async (v, r, s, arity) => {
          if (arity === 2 && !(r === null || typeof r === 'function' || Array.isArray(r))) return;
          const want = expected(v, r, arity === 2 ? undefined : s);
          if (typeof want !== 'string' || want === 'ERR_UNSERIALIZABLE') return;
          expect(await COUNTS[name](v, r, s, arity)).toBe(Buffer.byteLength(want));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('dumpLines: a replacer in second place is the replacer; a space that indents is refused like indent', async () => {
    const records = [{ a: 1, b: 'x' }, { a: 2, b: 'y' }];
    const lines = async (...args: unknown[]): Promise<string> => {
      const c = collector();
      await (dumpLines as (...a: unknown[]) => Promise<unknown>)(records, c.w, ...args);
      return c.text();
    };
    expect(await lines(['a'])).toBe('{"a":1}\n{"a":2}\n');
    expect(await lines((k: string, v: unknown) => (k === 'b' ? undefined : v), 0)).toBe('{"a":1}\n{"a":2}\n');
    await expect(lines(null, 2)).rejects.toMatchObject({ code: 'ERR_BAD_OPTION' });
  });
});

describe('the rules, one by one', () => {
  const v = { a: [1, { b: 'x' }], c: null };
  const CASES: [string, unknown, unknown][] = [
    ['space 11 is clamped to 10', null, 11],
    ['space 1e9 is clamped to 10', null, 1e9],
    ['space 2.9 is 2', null, 2.9],
    ['space -0.5 is compact', null, -0.5],
    ['space -1 is compact', null, -1],
    ['space NaN is compact', null, NaN],
    ['a string space is cut to 10 characters', null, '-'.repeat(12) + 'x'],
    ['a boxed number space', null, new Number(3)],
    ['a boxed string space', null, new String('ab')],
    ['a boolean space is ignored', null, true],
    ['an object replacer is ignored', { indent: 2 }, 2],
    ['a number replacer is ignored', 5, undefined],
    ['an allow-list with numbers and boxed strings', [new String('a'), 0, 'c'], 1],
  ];
  for (const [what, r, s] of CASES) {
    it(what, () => {
      expect(dumps(v, r as never, s as never)).toBe(JSON.stringify(v, r as never, s as never));
    });
  }

  it('a space between 0 and 1 is compact, as ECMA-262 says (V8 writes bare line breaks there)', () => {
    for (const space of [0.5, 5e-324, new Number(0.9)]) expect(dumps(v, null, space as never)).toBe(JSON.stringify(v));
  });

  it('the options object stays the main form: a plain object second argument with no third is options', () => {
    expect(dumps(v, { indent: 12 })).toBe(JSON.stringify(v, null, 12).replace(/^( +)/gm, (m) => ' '.repeat((m.length / 10) * 12)));
    expect(dumps(v, undefined)).toBe(JSON.stringify(v));
  });
});
