// Every value kind of API.md's "Values" table, through every API.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { JSONDumpError, rawJSON } from '../../src/index.js';
import type { DumpOptions } from '../../src/index.js';
import { expectVariants } from '../helpers/expect-variants.js';
import { tick } from '../helpers/process-events.js';
import { SYNC_VARIANTS } from '../helpers/variants.js';

type Factory = () => unknown;

/** Every variant (helpers/variants.ts) writes `expected`. */
async function expectAll(f: Factory, expected: string, o: DumpOptions = {}): Promise<void> {
  await expectVariants(f, expected, o);
}

/** A value holding an async value: the async variants write `expected`, the sync ones raise ERR_ASYNC_VALUE at `asyncPath`. */
async function expectAsyncValue(f: Factory, expected: string, asyncPath: string, o: DumpOptions = {}): Promise<void> {
  await expectVariants(f, expected, o, { sync: { code: 'ERR_ASYNC_VALUE', path: asyncPath } });
}

/** Every variant raises JSONDumpError `code` at `p`. */
async function expectErrorAll(f: Factory, code: string, p: string, o: DumpOptions = {}): Promise<void> {
  await expectVariants(f, { code, path: p }, o);
}

const bytes = (...chunks: (string | number[])[]): Readable =>
  Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : Buffer.from(c))), { objectMode: false });

/** Readable of `text`'s UTF-8 bytes cut into pieces of `size` bytes (multi-byte characters split). */
function bytesCut(text: string, size: number): Readable {
  const buf = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts, { objectMode: false });
}


describe('null, booleans, numbers, strings', () => {
  const cases: unknown[] = [
    null, true, false, 0, -0, 1, -1.5, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER, 2 ** 60,
    '', 'abc', 'é😀', 'quote " backslash \\ newline \n tab \t nul \u0000 us \u001f del \u007f',
    'lone \ud800 high, lone \udc00 low', '\u2028\u2029',
    [null, true, 1, 'x'], { a: null, b: false, c: 2.5, d: 's' },
  ];
  for (const v of cases) {
    it(`${JSON.stringify(v)} as JSON.stringify`, async () => {
      await expectAll(() => v, JSON.stringify(v));
    });
  }
});

describe('bigint', () => {
  it('top-level bigint: its decimal digits', async () => {
    await expectAll(() => 123n, '123');
    await expectAll(() => -123456789012345678901234567890n, '-123456789012345678901234567890');
    await expectAll(() => 0n, '0');
  });
  it('bigint in arrays, objects and Maps', async () => {
    await expectAll(() => [1n, { a: 2n ** 70n }, new Map([['k', -5n]])], '[1,{"a":1180591620717411303424},{"k":-5}]');
  });
  it('boxed bigint is a bigint', async () => {
    await expectAll(() => [Object(7n)], '[7]');
  });
  it('python dialect: digits too', async () => {
    await expectAll(() => [2n ** 64n, -1n], '[18446744073709551616, -1]', { dialect: 'python' });
  });
});

describe('Map', () => {
  it('string keys, insertion order (integer-like keys are not moved first)', async () => {
    await expectAll(() => new Map<string, unknown>([['b', 1], ['1', [2]], ['', 'e']]), '{"b":1,"1":[2],"":"e"}');
  });
  it('keys coerced: number, boolean, null, bigint', async () => {
    const m = (): Map<unknown, number> => new Map<unknown, number>([
      [1, 1], [1.5, 2], [-0, 3], [1e21, 4], [1e-7, 5], [true, 6], [false, 7], [null, 8], [10n, 9], [-(2n ** 70n), 10],
    ]);
    await expectAll(
      m,
      '{"1":1,"1.5":2,"0":3,"1e+21":4,"1e-7":5,"true":6,"false":7,"null":8,"10":9,"-1180591620717411303424":10}',
    );
  });
  it('number keys use the python dialect number text', async () => {
    const m = (): Map<unknown, number> => new Map<unknown, number>([[1e-7, 1], [2.5e16, 2], [1e16, 3], [5e-324, 4], [-0, 5], [3, 6]]);
    await expectAll(m, '{"1e-07": 1, "2.5e+16": 2, "1e+16": 3, "5e-324": 4, "0": 5, "3": 6}', { dialect: 'python' });
  });
  it('NaN/±Infinity keys are "NaN", "Infinity", "-Infinity" (js default, allowNaN true, python)', async () => {
    const m = (): Map<number, number> => new Map([[NaN, 1], [Infinity, 2], [-Infinity, 3]]);
    await expectAll(m, '{"NaN":1,"Infinity":2,"-Infinity":3}');
    await expectAll(m, '{"NaN":1,"Infinity":2,"-Infinity":3}', { allowNaN: true });
    await expectAll(m, '{"NaN": 1, "Infinity": 2, "-Infinity": 3}', { dialect: 'python' });
  });
  it('NaN key with allowNaN false raises ERR_NON_FINITE at the member whose key it is', async () => {
    await expectErrorAll(() => ({ m: new Map([[NaN, 1]]) }), 'ERR_NON_FINITE', '$.m.NaN', { allowNaN: false });
  });
  it('object, array, symbol, function, undefined keys raise ERR_KEY_TYPE at the Map', async () => {
    await expectErrorAll(() => new Map<unknown, number>([['a', 1], [{}, 2]]), 'ERR_KEY_TYPE', '$');
    await expectErrorAll(() => ({ x: [0, new Map<unknown, number>([[[1], 2]])] }), 'ERR_KEY_TYPE', '$.x[1]');
    await expectErrorAll(() => ({ m: new Map<unknown, number>([[Symbol('s'), 2]]) }), 'ERR_KEY_TYPE', '$.m');
    await expectErrorAll(() => ({ m: new Map<unknown, number>([[() => 1, 2]]) }), 'ERR_KEY_TYPE', '$.m');
    await expectErrorAll(() => ({ m: new Map<unknown, number>([[undefined, 2]]) }), 'ERR_KEY_TYPE', '$.m');
  });
  it('skipKeys drops the invalid keys (first, middle, last, all)', async () => {
    const o = { skipKeys: true };
    await expectAll(() => new Map<unknown, number>([[{}, 0], ['a', 1], [[], 2], ['b', 3], [Symbol('x'), 4]]), '{"a":1,"b":3}', o);
    await expectAll(() => ({ m: new Map<unknown, number>([[{}, 0], [[], 1]]) }), '{"m":{}}', o);
    await expectAll(() => ({ m: new Map<unknown, number>([[{}, 0], [[], 1]]) }), '{\n  "m": {}\n}', { ...o, indent: 2 });
  });
  it('values: undefined/function/symbol members dropped, as in an object', async () => {
    await expectAll(() => new Map<string, unknown>([['a', undefined], ['b', 1], ['c', () => 1], ['d', Symbol('s')]]), '{"b":1}');
  });
  it('nested Maps and Maps inside arrays, with indent', async () => {
    const f = (): unknown => [new Map<unknown, unknown>([[1, new Map([['x', [true]]])]]), new Map()];
    await expectAll(f, JSON.stringify([{ 1: { x: [true] } }, {}], null, 2), { indent: 2 });
  });
});

describe('Set, typed arrays, generators and other sync iterables are arrays', () => {
  it('Set', async () => {
    await expectAll(() => new Set<unknown>([1, 'a', null, { x: 1 }, [2]]), JSON.stringify([1, 'a', null, { x: 1 }, [2]]));
    await expectAll(() => ({ s: new Set() }), '{"s":[]}');
    await expectAll(() => new Set([1, 2]), '[1, 2]', { dialect: 'python' });
  });
  it('Set with undefined/function members writes null, as an array', async () => {
    await expectAll(() => new Set<unknown>([undefined, () => 1, 3]), JSON.stringify([undefined, () => 1, 3]));
  });
  it('typed arrays', async () => {
    await expectAll(() => new Uint8Array([1, 2, 255]), '[1,2,255]');
    await expectAll(() => new Int16Array([-1, 300]), '[-1,300]');
    await expectAll(() => new Float64Array([1.5, -0, 1e21]), JSON.stringify([1.5, -0, 1e21]));
    await expectAll(() => new Float32Array([NaN, Infinity]), '[null,null]');
    await expectAll(() => new BigInt64Array([1n, -2n]), '[1,-2]');
    await expectAll(() => ({ t: new Uint8Array(0) }), '{"t":[]}');
  });
  it('a Buffer (typed array with toJSON) is written by its toJSON, as JSON.stringify', async () => {
    // Buffer has a toJSON ({type:'Buffer',data}); toJSON comes first, as JSON.stringify does.
    await expectAll(() => Buffer.from([1, 2]), JSON.stringify(Buffer.from([1, 2])));
  });
  it('generator', async () => {
    await expectAll(() => (function* () {
      yield 1;
      yield 'a';
      yield undefined;
      yield { b: [2] };
    })(), JSON.stringify([1, 'a', undefined, { b: [2] }]));
    await expectAll(() => ({ g: (function* () {})() }), '{"g":[]}');
  });
  it('nested generators', async () => {
    const f = (): unknown => (function* () {
      for (let i = 0; i < 3; i++) {
        yield (function* () {
          for (let j = 0; j <= i; j++) yield j;
        })();
      }
    })();
    await expectAll(f, '[[0],[0,1],[0,1,2]]');
  });
  it('built-in iterators (Map entries, array values, string iterator)', async () => {
    const m = new Map<string, number>([['a', 1], ['b', 2]]);
    await expectAll(() => m.entries(), '[["a",1],["b",2]]');
    await expectAll(() => m.keys(), '["a","b"]');
    await expectAll(() => [1, 2][Symbol.iterator](), '[1,2]');
    await expectAll(() => 'a😀'[Symbol.iterator](), '["a","😀"]');
  });
  it('a class with [Symbol.iterator] is an array', async () => {
    class Bag {
      items = [1, 2, 3];
      *[Symbol.iterator](): Generator<number> {
        yield* this.items;
      }
    }
    await expectAll(() => new Bag(), '[1,2,3]');
  });
});

describe('boxed primitives', () => {
  it('boxed String is a string, not an iterable', async () => {
    await expectAll(() => new String('ab'), '"ab"');
    await expectAll(() => [new String('é"')], JSON.stringify([new String('é"')]));
    await expectAll(() => ({ s: new String('') }), '{"s":""}');
  });
  it('boxed Number and Boolean', async () => {
    const v = { n: new Number(3.5), b: new Boolean(false), z: new Number(-0) };
    await expectAll(() => v, JSON.stringify(v));
    await expectAll(() => [new Number(NaN)], '[null]');
  });
});

describe('Date and toJSON', () => {
  it('Date as JSON.stringify (valid and invalid)', async () => {
    const v = { d: new Date(Date.UTC(2020, 1, 29, 12, 0, 0, 5)), bad: new Date(NaN), arr: [new Date(0)] };
    await expectAll(() => v, JSON.stringify(v));
    await expectAll(() => new Date(0), JSON.stringify(new Date(0)));
  });
  it('toJSON receives the key, as JSON.stringify', async () => {
    const t = { toJSON(k: string) { return `k=${k}`; } };
    const v = { a: t, arr: [t, t], '': t };
    await expectAll(() => v, JSON.stringify(v));
    await expectAll(() => t, JSON.stringify(t));
  });
  it('toJSON returning containers, undefined, other toJSON objects', async () => {
    const v = {
      a: { toJSON: () => ({ deep: [1, { toJSON: () => 'inner' }] }) },
      b: { toJSON: () => undefined },
      c: [{ toJSON: () => undefined }],
      d: { toJSON: () => new Date(0) },
    };
    await expectAll(() => v, JSON.stringify(v));
  });
  it('toJSON in the python dialect', async () => {
    await expectAll(() => ({ a: { toJSON: () => [1, 2] } }), '{"a": [1, 2]}', { dialect: 'python' });
  });
});

describe('class instances', () => {
  class Point {
    x = 1;
    y: unknown = [2];
    get z(): number {
      return 3;
    }
    method(): number {
      return 4;
    }
  }
  it('js dialect: as JSON.stringify (own enumerable properties)', async () => {
    const v = { p: new Point(), arr: [new Point()] };
    await expectAll(() => v, JSON.stringify(v));
    await expectAll(() => new Point(), JSON.stringify(new Point()));
  });
  it('js dialect: Object.create(null) and class instance with toJSON', async () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    class WithToJSON {
      toJSON(): string {
        return 'custom';
      }
    }
    await expectAll(() => [bare, new WithToJSON()], '[{"a":1},"custom"]');
  });
  it('python dialect without default: ERR_UNSERIALIZABLE at the instance', async () => {
    await expectErrorAll(() => ({ users: [0, 1, 2, { name: new Point() }] }), 'ERR_UNSERIALIZABLE', '$.users[3].name', { dialect: 'python' });
    await expectErrorAll(() => new Point(), 'ERR_UNSERIALIZABLE', '$', { dialect: 'python' });
  });
  it('python dialect: functions and symbols also raise without default', async () => {
    await expectErrorAll(() => ({ f: () => 1 }), 'ERR_UNSERIALIZABLE', '$.f', { dialect: 'python' });
    await expectErrorAll(() => [1, Symbol('s')], 'ERR_UNSERIALIZABLE', '$[1]', { dialect: 'python' });
  });
  it('python dialect: default is called with the instance and its result written', async () => {
    const seen: unknown[] = [];
    const p = new Point();
    const o: DumpOptions = {
      dialect: 'python',
      default: (v) => {
        seen.push(v);
        return v instanceof Point ? { pt: v.x } : null;
      },
    };
    await expectAll(() => ({ a: p, b: [p] }), '{"a": {"pt": 1}, "b": [{"pt": 1}]}', o);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((v) => v === p)).toBe(true);
  });
  it('python dialect: plain objects, null-prototype objects, toJSON instances are not passed to default', async () => {
    class WithToJSON {
      toJSON(): number[] {
        return [9];
      }
    }
    const seen: unknown[] = [];
    const o: DumpOptions = { dialect: 'python', default: (v) => (seen.push(v), 'D') };
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    await expectAll(() => [{ a: 1 }, bare, new WithToJSON(), new Map([['k', 1]]), new Set([2])], '[{"a": 1}, {"a": 1}, [9], {"k": 1}, [2]]', o);
    expect(seen).toEqual([]);
  });
});

describe('undefined, function, symbol', () => {
  it('dropped in objects, null in arrays', async () => {
    const v = { a: undefined, b: () => 1, c: Symbol('s'), d: 1, arr: [undefined, () => 1, Symbol('s'), 2] };
    await expectAll(() => v, JSON.stringify(v));
  });
  it('js dialect: default called for functions and symbols, its result written', async () => {
    const fn = (): number => 1;
    const sym = Symbol('s');
    const seen: unknown[] = [];
    const o: DumpOptions = { default: (v) => (seen.push(v), typeof v) };
    await expectAll(() => ({ f: fn, s: sym, u: undefined, arr: [fn, sym, undefined] }), '{"f":"function","s":"symbol","arr":["function","symbol",null]}', o);
    expect(new Set(seen)).toEqual(new Set([fn, sym]));
  });
  it('top-level undefined, function, symbol raise ERR_UNSERIALIZABLE at $ in every function', async () => {
    await expectErrorAll(() => undefined, 'ERR_UNSERIALIZABLE', '$');
    await expectErrorAll(() => () => 1, 'ERR_UNSERIALIZABLE', '$');
    await expectErrorAll(() => Symbol('x'), 'ERR_UNSERIALIZABLE', '$');
    await expectErrorAll(() => ({ toJSON: () => undefined }), 'ERR_UNSERIALIZABLE', '$');
    await expectErrorAll(() => 1, 'ERR_UNSERIALIZABLE', '$', { replacer: () => undefined });
  });
});

describe('rawJSON', () => {
  it('is written verbatim, anywhere', async () => {
    const f = (): unknown => ({ a: rawJSON('{"x" : [1,2 ,3]}'), b: [rawJSON('12345678901234567890123'), rawJSON('"é"')] });
    await expectAll(f, '{"a":{"x" : [1,2 ,3]},"b":[12345678901234567890123,"é"]}');
    await expectAll(() => rawJSON('[1, 2]'), '[1, 2]');
  });
  it('is not re-indented, sorted or escaped', async () => {
    const f = (): unknown => [rawJSON('{"b":1,"a":2}')];
    await expectAll(f, '[\n  {"b":1,"a":2}\n]', { indent: 2, sortKeys: true });
    await expectAll(f, '[{"b":1,"a":2}]', { dialect: 'python', sortKeys: true });
  });
  it('checks its text: invalid JSON raises ERR_BAD_OPTION', () => {
    for (const bad of ['{bad', '', '1 2', '[1,', '"\u0001"', 'undefined', "{'a':1}"]) {
      let err: unknown;
      try {
        rawJSON(bad);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(bad)).toBeInstanceOf(JSONDumpError);
      expect(err, JSON.stringify(bad)).toMatchObject({ code: 'ERR_BAD_OPTION', path: '$' });
    }
  });
});

describe('Promise and thenable (awaited)', () => {
  it('top-level and nested promises', async () => {
    await expectAsyncValue(() => Promise.resolve({ a: 1 }), '{"a":1}', '$');
    await expectAsyncValue(
      () => ({ a: [1, Promise.resolve([2, Promise.resolve({ b: 3 })])] }),
      '{"a":[1,[2,{"b":3}]]}',
      '$.a[1]',
    );
  });
  it('slow promise', async () => {
    await expectAsyncValue(() => ({ x: tick(20).then(() => 'late') }), '{"x":"late"}', '$.x');
  });
  it('thenable', async () => {
    const thenable = (v: unknown): PromiseLike<unknown> => ({
      then(res?: ((x: unknown) => unknown) | null) {
        setTimeout(() => res?.(v), 1);
        return this as never;
      },
    });
    await expectAsyncValue(() => [thenable(5), thenable({ t: thenable('x') })], '[5,{"t":"x"}]', '$[0]');
  });
  it('a promise of undefined is dropped in an object and null in an array', async () => {
    await expectAsyncValue(() => ({ a: Promise.resolve(undefined), b: 1 }), '{"b":1}', '$.a');
    await expectAsyncValue(() => ({ b: 1, a: Promise.resolve(undefined) }), '{\n  "b": 1\n}', '$.a', { indent: 2 });
    await expectAsyncValue(() => [Promise.resolve(undefined)], '[null]', '$[0]');
  });
});

describe('async iterables', () => {
  it('async generator → array', async () => {
    const f = (): unknown => ({
      rows: (async function* () {
        for (let i = 0; i < 5; i++) {
          await tick();
          yield { i, s: 'r' + i };
        }
      })(),
    });
    await expectAsyncValue(f, JSON.stringify({ rows: [0, 1, 2, 3, 4].map((i) => ({ i, s: 'r' + i })) }), '$.rows');
  });
  it('custom async iterable, empty async generator', async () => {
    const f = (): unknown => [
      {
        [Symbol.asyncIterator]() {
          let i = 0;
          return { next: async () => (i < 2 ? { value: i++, done: false } : { value: undefined, done: true }) };
        },
      },
      (async function* () {})(),
    ];
    await expectAsyncValue(f, '[[0,1],[]]', '$[0]');
  });
  it('async generator yielding promises and nested async iterables', async () => {
    const f = (): unknown => (async function* () {
      yield Promise.resolve(1);
      yield (async function* () {
        yield 'x';
      })();
    })();
    await expectAsyncValue(f, '[1,["x"]]', '$');
  });
});

describe('Node Readable', () => {
  it('object mode → array', async () => {
    await expectAsyncValue(() => Readable.from([{ a: 1 }, 2, 'x', [true]]), '[{"a":1},2,"x",[true]]', '$');
    await expectAsyncValue(() => ({ r: Readable.from([]) }), '{"r":[]}', '$.r');
  });
  it('object mode with strings is an array of strings', async () => {
    await expectAsyncValue(() => Readable.from(['ab', 'cd']), '["ab","cd"]', '$');
  });
  it('bytes → one JSON string', async () => {
    await expectAsyncValue(() => bytes('hello ', 'world'), '"hello world"', '$');
    await expectAsyncValue(() => ({ body: bytes() }), '{"body":""}', '$.body');
  });
  it('UTF-8 multi-byte characters split across chunk boundaries', async () => {
    const text = 'aé€😀b𝄞ü';
    for (const size of [1, 2, 3, 5]) {
      await expectAsyncValue(() => bytesCut(text, size), JSON.stringify(text), '$');
    }
    // '€' = e2 82 ac split 1+2; '😀' = f0 9f 98 80 split 3+1
    await expectAsyncValue(() => bytes([0xe2], [0x82, 0xac, 0xf0, 0x9f, 0x98], [0x80]), '"€😀"', '$');
  });
  it('escapes quotes, backslashes and control characters as it streams', async () => {
    const text = 'q"b\\n\nt\tc\u0001\u001f\u007fe' + '"'.repeat(50);
    await expectAsyncValue(() => bytesCut(text, 1), JSON.stringify(text), '$');
    await expectAsyncValue(() => ({ t: bytesCut(text, 4) }), JSON.stringify({ t: text }), '$.t');
  });
  it('ensureAscii applies to the streamed text', async () => {
    await expectAsyncValue(() => bytesCut('é😀', 1), '"\\u00e9\\ud83d\\ude00"', '$', { ensureAscii: true });
    await expectAsyncValue(() => bytesCut('é😀', 1), '"\\u00e9\\ud83d\\ude00"', '$', { dialect: 'python' });
  });
  it('Readable with setEncoding is a JSON string', async () => {
    const f = (): Readable => {
      const r = bytesCut('x€"y😀', 1);
      r.setEncoding('utf8');
      return r;
    };
    await expectAsyncValue(f, JSON.stringify('x€"y😀'), '$');
  });
  it('big byte stream (many chunks) with a small chunkSize', async () => {
    const text = 'αβγ"\n'.repeat(5000);
    await expectAsyncValue(() => bytesCut(text, 7), JSON.stringify(text), '$', { chunkSize: 100 });
  });
});

describe('ERR_ASYNC_VALUE in the sync functions', () => {
  it('points at the async value', async () => {
    const cases: [Factory, string][] = [
      [() => ({ a: { b: [0, Promise.resolve(1)] } }), '$.a.b[1]'],
      [() => ({ 'not id': [(async function* () {})()] }), '$["not id"][0]'],
      [() => [1, 2, 3, Readable.from([1])], '$[3]'],
      [() => new Map([['k', bytes('x')]]), '$.k'],
      [() => new Set([0, Promise.resolve(1)]), '$[1]'],
    ];
    for (const [f, p] of cases) {
      await expectVariants(f, { code: 'ERR_ASYNC_VALUE', path: p }, {}, { only: [...SYNC_VARIANTS], async: false });
    }
  });
});
