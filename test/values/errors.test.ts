// Every error code with its exact path; the caller's own errors propagate unchanged; bad options
// are refused before anything is written; dump/dumpLines never throw synchronously.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  createStringifyStream, dump, dumpLines, dumps, dumpSync, JSONDumpError, stringifyChunks,
  stringifyChunksSync,
} from '../../src/index.js';
import type { DumpOptions } from '../../src/index.js';
import { expectVariants, type ExpectFlags } from '../helpers/expect-variants.js';
import { collector, useTempDir } from '../helpers/io.js';
import { SYNC_VARIANTS } from '../helpers/variants.js';

const tmp = useTempDir('errors');

type Factory = () => unknown;
type Which = 'all' | 'async' | 'sync';

/** The variants of helpers/variants.ts to run: all of them, the async ones, the sync ones. */
function flagsFor(which: Which): ExpectFlags {
  if (which === 'async') return { async: true, chunkSizes: [4] };
  if (which === 'sync') return { async: false, only: [...SYNC_VARIANTS], chunkSizes: [4] };
  return { async: false, chunkSizes: [4] };
}

/** Every variant (of `which`) raises a JSONDumpError `code` at `p`. */
async function expectCode(f: Factory, code: string, p: string, o: DumpOptions = {}, which: Which = 'all'): Promise<void> {
  await expectVariants(f, { code, path: p }, o, flagsFor(which));
}

/** Every variant (of `which`) lets exactly `err` through. */
async function expectSame(f: Factory, err: unknown, o: DumpOptions = {}, which: Which = 'all'): Promise<void> {
  await expectVariants(f, { throws: err }, o, flagsFor(which));
}

describe('JSONDumpError', () => {
  it('is an Error with code and path', async () => {
    let e: unknown;
    try {
      dumps({ a: NaN }, { allowNaN: false });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(JSONDumpError);
    expect(e).toBeInstanceOf(Error);
    const d = e as JSONDumpError;
    expect(d.code).toBe('ERR_NON_FINITE');
    expect(d.path).toBe('$.a');
    expect(typeof d.message).toBe('string');
    expect(d.message.length).toBeGreaterThan(0);
  });
});

describe('ERR_CIRCULAR at the member that closes the cycle', () => {
  it('object cycle', async () => {
    await expectCode(() => {
      const a: Record<string, unknown> = { x: { y: 1 } };
      (a.x as Record<string, unknown>).self = a;
      return a;
    }, 'ERR_CIRCULAR', '$.x.self');
  });
  it('self-reference at the root', async () => {
    await expectCode(() => {
      const a: Record<string, unknown> = {};
      a.me = a;
      return a;
    }, 'ERR_CIRCULAR', '$.me');
  });
  it('array cycle', async () => {
    await expectCode(() => {
      const a: unknown[] = [1, [2]];
      (a[1] as unknown[]).push(a);
      return a;
    }, 'ERR_CIRCULAR', '$[1][1]');
  });
  it('cycle under a non-identifier key', async () => {
    await expectCode(() => {
      const o: Record<string, Record<string, unknown>> = { 'not an identifier': {} };
      o['not an identifier'].z = o;
      return { root: o };
    }, 'ERR_CIRCULAR', '$.root["not an identifier"].z');
  });
  it('cycle through a Map and a Set', async () => {
    await expectCode(() => {
      const m = new Map<unknown, unknown>([['k', 1]]);
      m.set(2, [m]);
      return m;
    }, 'ERR_CIRCULAR', '$["2"][0]');
    await expectCode(() => {
      const a: unknown[] = [];
      a.push(new Set([0, a]));
      return a;
    }, 'ERR_CIRCULAR', '$[0][1]');
  });
  it('cycle closed by toJSON returning an ancestor', async () => {
    await expectCode(() => {
      const o: Record<string, unknown> = {};
      o.x = { toJSON: () => o };
      return o;
    }, 'ERR_CIRCULAR', '$.x');
  });
  it('cycle through a promise (async APIs)', async () => {
    await expectCode(() => {
      const o: Record<string, unknown> = { a: 1 };
      o.p = Promise.resolve(o);
      return o;
    }, 'ERR_CIRCULAR', '$.p', {}, 'async');
  });
});

describe('ERR_NON_FINITE at the number', () => {
  const o: DumpOptions = { allowNaN: false };
  it('in arrays, objects, Maps, typed arrays, toJSON results, boxed numbers', async () => {
    await expectCode(() => NaN, 'ERR_NON_FINITE', '$', o);
    await expectCode(() => ({ a: [1, NaN] }), 'ERR_NON_FINITE', '$.a[1]', o);
    await expectCode(() => ({ a: { b: Infinity } }), 'ERR_NON_FINITE', '$.a.b', o);
    await expectCode(() => new Map([[1, -Infinity]]), 'ERR_NON_FINITE', '$["1"]', o);
    await expectCode(() => ({ t: new Float64Array([0, -Infinity]) }), 'ERR_NON_FINITE', '$.t[1]', o);
    await expectCode(() => ({ t: { toJSON: () => NaN } }), 'ERR_NON_FINITE', '$.t', o);
    await expectCode(() => [0, 0, new Number(Infinity)], 'ERR_NON_FINITE', '$[2]', o);
  });
  it('python dialect', async () => {
    await expectCode(() => ({ a: [1, NaN] }), 'ERR_NON_FINITE', '$.a[1]', { dialect: 'python', allowNaN: false });
  });
});

describe('ERR_KEY_TYPE points at the Map', () => {
  it('object key', async () => {
    await expectCode(() => ({ users: [0, { m: new Map<unknown, number>([['a', 1], [{}, 2]]) }] }), 'ERR_KEY_TYPE', '$.users[1].m');
  });
  it('python sortKeys with keys Python cannot order', async () => {
    await expectCode(() => ({ m: new Map<unknown, number>([[1, 1], ['b', 2]]) }), 'ERR_KEY_TYPE', '$.m', { dialect: 'python', sortKeys: true });
    await expectCode(() => new Map<unknown, number>([[null, 1], ['b', 2]]), 'ERR_KEY_TYPE', '$', { dialect: 'python', sortKeys: true });
  });
});

describe('ERR_UNSERIALIZABLE', () => {
  class Thing {
    v = 1;
  }
  it('top-level undefined/function/symbol at $', async () => {
    await expectCode(() => undefined, 'ERR_UNSERIALIZABLE', '$');
    await expectCode(() => function f() {}, 'ERR_UNSERIALIZABLE', '$');
    await expectCode(() => Symbol.iterator, 'ERR_UNSERIALIZABLE', '$');
  });
  it('python class instance at its path', async () => {
    await expectCode(() => ({ users: [0, 1, 2, { name: new Thing() }] }), 'ERR_UNSERIALIZABLE', '$.users[3].name', { dialect: 'python' });
  });
});

describe('ERR_ASYNC_VALUE (sync functions)', () => {
  it('at the async value', async () => {
    await expectCode(() => ({ users: [0, 1, 2, { name: Promise.resolve('x') }] }), 'ERR_ASYNC_VALUE', '$.users[3].name', {}, 'sync');
    await expectCode(() => ({ 'a b': (async function* () {})() }), 'ERR_ASYNC_VALUE', '$["a b"]', {}, 'sync');
  });
});

describe('ERR_ABORTED', () => {
  it('already-aborted signal', async () => {
    await expectCode(() => [1, 2], 'ERR_ABORTED', '$', { signal: AbortSignal.abort() }, 'async');
  });
});

describe('path syntax', () => {
  const o: DumpOptions = { allowNaN: false };
  const cases: [Factory, string][] = [
    [() => ({ name: NaN }), '$.name'],
    [() => ({ _x: { $y: { a1: NaN } } }), '$._x.$y.a1'],
    [() => ({ 'not an identifier': NaN }), '$["not an identifier"]'],
    [() => ({ '1a': NaN }), '$["1a"]'],
    [() => ({ 0: NaN }), '$["0"]'],
    [() => ({ '': NaN }), '$[""]'],
    [() => ({ 'a"b': NaN }), '$["a\\"b"]'],
    [() => ({ 'a.b': [NaN] }), '$["a.b"][0]'],
    [() => ({ 'a\nb': NaN }), '$["a\\nb"]'],
    [() => [0, 1, 2, NaN], '$[3]'],
    [() => [[], [[0, NaN]]], '$[1][0][1]'],
    [() => new Set([0, NaN]), '$[1]'],
    [() => (function* () {
      yield 0;
      yield 1;
      yield { k: NaN };
    })(), '$[2].k'],
    [() => new Map([['ok', NaN]]), '$.ok'],
    [() => new Map([[1.5, NaN]]), '$["1.5"]'],
    [() => new Map([[2n, NaN]]), '$["2"]'],
    [() => new Map([[7, { x: [NaN] }]]), '$["7"].x[0]'],
  ];
  for (const [f, p] of cases) {
    it(p, async () => {
      await expectCode(f, 'ERR_NON_FINITE', p, o);
    });
  }
  it('async iterable positions', async () => {
    await expectCode(() => ({
      rows: (async function* () {
        yield 1;
        yield { v: [NaN] };
      })(),
    }), 'ERR_NON_FINITE', '$.rows[1].v[0]', o, 'async');
  });
  it('Readable positions', async () => {
    await expectCode(() => ({ r: Readable.from([{}, {}, { n: NaN }]) }), 'ERR_NON_FINITE', '$.r[2].n', o, 'async');
  });
});

describe("the caller's own errors propagate unchanged", () => {
  const boom = new Error('boom');
  it('toJSON', async () => {
    await expectSame(() => ({ a: [{ toJSON() { throw boom; } }] }), boom);
  });
  it('replacer', async () => {
    await expectSame(() => ({ a: 1, b: 2 }), boom, { replacer: (k, v) => { if (k === 'b') throw boom; return v; } });
  });
  it('default', async () => {
    await expectSame(() => ({ f: () => 1 }), boom, { default: () => { throw boom; } });
    class C {}
    await expectSame(() => [new C()], boom, { dialect: 'python', default: () => { throw boom; } });
  });
  it('getter', async () => {
    await expectSame(() => ({ x: 1, get y(): number { throw boom; } }), boom);
  });
  it('iterators: a generator that throws, next() that throws, [Symbol.iterator] that throws', async () => {
    await expectSame(() => (function* () {
      yield 1;
      throw boom;
    })(), boom);
    await expectSame(() => ({ [Symbol.iterator]: () => ({ next: () => { throw boom; } }) }), boom);
    await expectSame(() => new (class { [Symbol.iterator](): Iterator<number> { throw boom; } })(), boom);
  });
  it('a non-Error thrown value', async () => {
    await expectSame(() => ({ a: { toJSON() { throw 'plain string'; } } }), 'plain string');
  });
  it('promises (async APIs)', async () => {
    await expectSame(() => [new Promise((_, rej) => setTimeout(() => rej(boom), 5))], boom, {}, 'async');
    await expectSame(() => ({ then(_: unknown, rej: (e: unknown) => void) { rej(boom); } }), boom, {}, 'async');
  });
  it('an already-rejected promise in the value: every async API rejects with it, nothing is left unhandled', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (e: unknown): void => void seen.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const mine = new Error('query failed fast');
      await expectSame(() => ({ user: Promise.reject(mine) }), mine, {}, 'async');
      await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
  it('async iterables (async APIs)', async () => {
    await expectSame(() => (async function* () {
      yield 1;
      await new Promise((r) => setTimeout(r, 5));
      throw boom;
    })(), boom, {}, 'async');
  });
  it('streams (async APIs)', async () => {
    await expectSame(() => new Readable({ objectMode: true, read() { this.destroy(boom); } }), boom, {}, 'async');
    await expectSame(() => ({
      body: new Readable({
        read() {
          this.push(Buffer.from('abc'));
          setTimeout(() => this.destroy(boom), 5);
        },
      }),
    }), boom, {}, 'async');
  });
  it('dumpLines', async () => {
    const r = collector();
    await expect(dumpLines((function* () {
      yield 1;
      throw boom;
    })(), r.w)).rejects.toBe(boom);
    const r2 = collector();
    await expect(dumpLines([{ toJSON() { throw boom; } }], r2.w)).rejects.toBe(boom);
  });
});

describe('bad options raise ERR_BAD_OPTION before anything is written', () => {
  const BAD: [string, unknown][] = [
    ['indent: {}', { indent: {} }],
    ["separators: ['a']", { separators: ['a'] }],
    ["separators: [',', 1]", { separators: [',', 1] }],
    ["separators: 'ab'", { separators: 'ab' }],
    ['chunkSize: 0', { chunkSize: 0 }],
    ['chunkSize: -5', { chunkSize: -5 }],
    ['chunkSize: NaN', { chunkSize: NaN }],
    ["dialect: 'ruby'", { dialect: 'ruby' }],
    ["dialect: 'Python'", { dialect: 'Python' }],
    ['unknown option name', { bogus: 1 }],
    ['snake_case option name', { sort_keys: true }],
  ];
  const value = { a: [1, 2, 3], b: 'x'.repeat(100) };
  for (const [label, bad] of BAD) {
    const opts = bad as DumpOptions;
    it(label, async () => {
      const isBad = (e: unknown): boolean => e instanceof JSONDumpError && e.code === 'ERR_BAD_OPTION';

      // dumps
      expect(() => dumps(value, opts)).toThrow(JSONDumpError);
      try {
        dumps(value, opts);
      } catch (e) {
        expect((e as JSONDumpError).code).toBe('ERR_BAD_OPTION');
      }

      /** `read` (pushing each chunk) fails with ERR_BAD_OPTION before any chunk. */
      const expectRefused = async (api: string, read: (push: (c: unknown) => void) => void | Promise<void>): Promise<void> => {
        const chunks: string[] = [];
        let err: unknown;
        try {
          await read((c) => chunks.push(String(c)));
        } catch (e) {
          err = e;
        }
        expect(isBad(err), api).toBe(true);
        expect(chunks).toEqual([]);
      };

      // stringifyChunksSync: at the call or at the first next(), before any chunk
      await expectRefused('stringifyChunksSync', (push) => {
        for (const c of stringifyChunksSync(value, opts)) push(c);
      });
      // stringifyChunks
      await expectRefused('stringifyChunks', async (push) => {
        for await (const c of stringifyChunks(value, opts)) push(c);
      });
      // createStringifyStream: throws, or errors before any data
      await expectRefused('createStringifyStream', async (push) => {
        const s = createStringifyStream(value, opts);
        for await (const c of s) push(c);
      });

      // dump to a Writable: a rejected promise, nothing written, stream not ended
      const r = collector();
      let p!: Promise<unknown>;
      expect(() => {
        p = dump(value, r.w, opts);
      }).not.toThrow();
      await expect(p).rejects.toSatisfy(isBad);
      expect(r.writes()).toBe(0);
      expect(r.w.writableEnded).toBe(false);

      // dump to a path: the target does not exist
      const target = tmp.file();
      expect(() => {
        p = dump(value, target, opts);
      }).not.toThrow();
      await expect(p).rejects.toSatisfy(isBad);
      expect(fs.existsSync(target)).toBe(false);

      // dumpSync to a path
      const target2 = tmp.file();
      expect(() => dumpSync(value, target2, opts)).toThrow(JSONDumpError);
      expect(fs.existsSync(target2)).toBe(false);

      // dumpLines
      const r2 = collector();
      const target3 = tmp.file();
      expect(() => {
        p = dumpLines([value], r2.w, opts);
      }).not.toThrow();
      await expect(p).rejects.toSatisfy(isBad);
      expect(r2.writes()).toBe(0);
      expect(() => {
        p = dumpLines([value], target3, opts);
      }).not.toThrow();
      await expect(p).rejects.toSatisfy(isBad);
      expect(fs.existsSync(target3)).toBe(false);
    });
  }

  it('indent in dumpLines', async () => {
    for (const indent of [2, 0, '\t']) {
      const r = collector();
      let p!: Promise<unknown>;
      expect(() => {
        p = dumpLines([{ a: 1 }], r.w, { indent } as never);
      }).not.toThrow();
      await expect(p).rejects.toSatisfy((e: unknown) => e instanceof JSONDumpError && e.code === 'ERR_BAD_OPTION' && e.path === '$');
      expect(r.writes()).toBe(0);
      const target = tmp.file();
      const err = await dumpLines([{ a: 1 }], target, { indent } as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JSONDumpError);
      expect(err).toMatchObject({ code: 'ERR_BAD_OPTION', path: '$' });
      expect(fs.existsSync(target)).toBe(false);
    }
  });

  it('ERR_BAD_OPTION has path $', () => {
    try {
      dumps(1, { chunkSize: 0 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JSONDumpError);
      expect((e as JSONDumpError).path).toBe('$');
    }
  });
});

describe('dump and dumpLines never throw synchronously', () => {
  it('value errors, destination errors, option errors: all rejections, each with its exact error', async () => {
    /** A JSONDumpError as "CODE PATH", a system error as "errno CODE". */
    const summary = (e: unknown): string =>
      e instanceof JSONDumpError ? `${e.code} ${e.path}` : `errno ${(e as NodeJS.ErrnoException).code}`;
    const calls: [string, () => Promise<unknown>, string][] = [
      ['dump undefined', () => dump(undefined, collector().w), 'ERR_UNSERIALIZABLE $'],
      ['dump circular', () => {
        const a: unknown[] = [];
        a.push(a);
        return dump(a, tmp.file());
      }, 'ERR_CIRCULAR $[0]'],
      ['dump bad destination object', () => dump(1, {} as never), 'ERR_BAD_OPTION $'],
      ['dump null destination', () => dump(1, null as never), 'ERR_BAD_OPTION $'],
      ['dump missing directory', () => dump(1, path.join(tmp.path, 'no', 'such', 'dir.json')), 'errno ENOENT'],
      ['dump options not an object', () => dump(1, tmp.file(), 5 as never), 'ERR_BAD_OPTION $'],
      ['dumpLines not iterable', () => dumpLines(42 as never, collector().w), 'ERR_BAD_OPTION $'],
      ['dumpLines bad destination', () => dumpLines([1], {} as never), 'ERR_BAD_OPTION $'],
      ['dumpLines missing directory', () => dumpLines([1], path.join(tmp.path, 'no', 'x.jsonl')), 'errno ENOENT'],
      ['dumpLines bad option', () => dumpLines([1], collector().w, { chunkSize: 0 }), 'ERR_BAD_OPTION $'],
    ];
    for (const [label, call, expected] of calls) {
      let p: Promise<unknown> | undefined;
      expect(() => {
        p = call();
      }, label).not.toThrow();
      expect(p, label).toBeInstanceOf(Promise);
      const err = await p!.then(() => 'resolved', (e: unknown) => e);
      expect(summary(err), label).toBe(expected);
    }
  });
  it('a missing directory rejects with the original ENOENT error', async () => {
    await expect(dump(1, path.join(tmp.path, 'nope', 'x.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
