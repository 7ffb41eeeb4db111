// The traps the streaming peers fell into (empty keys, shared references taken for cycles, doubled commas, module state, caches that grow): each one a test.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import {
  createStringifyStream, dump, dumps, dumpSync, JSONDumpError, rawJSON, stringifyChunks,
  stringifyChunksSync,
} from '../../src/index.js';
import type { DumpOptions } from '../../src/index.js';
import { expectVariants } from '../helpers/expect-variants.js';
import { collector, joinAsync, streamText, useTempDir } from '../helpers/io.js';
import { gc } from '../helpers/gc.js';
import { tick } from '../helpers/process-events.js';

const tmp = useTempDir('traps');

type Factory = () => unknown;

/** Every variant (helpers/variants.ts), also at chunkSize 5, writes `expected`. */
async function expectAll(f: Factory, expected: string, o: DumpOptions = {}): Promise<void> {
  await expectVariants(f, expected, o, { chunkSizes: [5] });
}

/** 'equal', or where two (huge) texts first differ. */
function diff(actual: string, expected: string): string {
  if (actual === expected) return 'equal';
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  return `lengths ${actual.length}/${expected.length}, first difference at ${i}: ${JSON.stringify(actual.slice(i, i + 40))} vs ${JSON.stringify(expected.slice(i, i + 40))}`;
}


describe('empty-string keys', () => {
  it('{"": 1} and nested empty keys', async () => {
    for (const v of [{ '': 1 }, { '': { '': [] } }, { a: 1, '': 2, b: { '': null } }, [{ '': '' }]]) {
      await expectAll(() => v, JSON.stringify(v));
      await expectAll(() => v, JSON.stringify(v, null, 2), { indent: 2 });
    }
  });
  it('python dialect, sortKeys, Map key ""', async () => {
    await expectAll(() => ({ b: 1, '': 2 }), '{"": 2, "b": 1}', { dialect: 'python', sortKeys: true });
    await expectAll(() => new Map([['', 1]]), '{"":1}');
  });
  it('a replacer sees the empty key of the wrapper then ""-keyed members', async () => {
    const keys: string[] = [];
    const replacer = (k: string, v: unknown): unknown => (keys.push(k), v);
    const v = { '': { '': 1 } };
    const expectedKeys: string[] = [];
    JSON.stringify(v, (k, x: unknown) => (expectedKeys.push(k), x));
    expect(dumps(v, { replacer })).toBe(JSON.stringify(v));
    expect(keys).toEqual(expectedKeys);
  });
});

describe('shared references are not cycles', () => {
  it('[x, x]', async () => {
    const f = (): unknown => {
      const x = { a: [1, 2] };
      return [x, x, { y: x }];
    };
    await expectAll(f, JSON.stringify(f()));
    await expectAll(f, JSON.stringify(f()), { checkCircular: false });
  });
  it('deep shared subtrees (a DAG with 2^12 paths)', async () => {
    const f = (): unknown => {
      let node: unknown = { leaf: true };
      for (let i = 0; i < 12; i++) node = { l: node, r: [node] };
      return node;
    };
    const expected = JSON.stringify(f());
    await expectAll(f, expected);
    await expectAll(f, expected, { checkCircular: false });
  });
  it('the same object in a Map, a Set and an array', async () => {
    const f = (): unknown => {
      const x = [1];
      return { m: new Map([['a', x], ['b', x]]), s: new Set([x, [x]]), arr: [x] };
    };
    await expectAll(f, '{"m":{"a":[1],"b":[1]},"s":[[1],[[1]]],"arr":[[1]]}');
  });
  it('the same promise referenced twice', async () => {
    const p = Promise.resolve({ v: 1 });
    const c = collector();
    await dump([p, { p }], c.w);
    expect(c.text()).toBe('[{"v":1},{"p":{"v":1}}]');
  });
});

describe('no trailing or doubled commas when members are dropped', () => {
  const u = undefined;
  const fn = (): number => 1;
  const cases: Record<string, unknown>[] = [
    { a: u, b: 1 },
    { a: 1, b: u },
    { a: u },
    { a: u, b: fn, c: Symbol('s') },
    { a: 1, b: u, c: 2 },
    { a: 1, b: u, c: fn, d: 2, e: u },
    { x: { a: u }, y: [{ b: u, c: 1 }], z: u },
  ];
  for (const v of cases) {
    it(`${Object.keys(v).join(',')} → ${JSON.stringify(v)}`, async () => {
      await expectAll(() => v, JSON.stringify(v));
      await expectAll(() => v, JSON.stringify(v, null, 2), { indent: 2 });
      await expectAll(() => v, JSON.stringify(v, null, '\t'), { indent: '\t' });
    });
  }
  it('a replacer that drops the first key, the last key, every key', async () => {
    const v = { first: 1, mid: [1, 2], last: { deep: 2, last: 3 } };
    const r1 = (k: string, x: unknown): unknown => (k === 'first' ? undefined : x);
    const r2 = (k: string, x: unknown): unknown => (k === 'last' ? undefined : x);
    const r3 = (k: string, x: unknown): unknown => (k === '' ? x : undefined);
    const r4 = (k: string, x: unknown): unknown => (k === 'deep' || k === 'mid' ? undefined : x);
    for (const replacer of [r1, r2, r3, r4]) {
      await expectAll(() => v, JSON.stringify(v, replacer), { replacer });
      await expectAll(() => v, JSON.stringify(v, replacer, 2), { replacer, indent: 2 });
    }
  });
  it('an allow-list replacer that omits the first and the last key', async () => {
    const v = { a: 1, b: 2, c: 3 };
    await expectAll(() => v, JSON.stringify(v, ['b']), { replacer: ['b'] });
    await expectAll(() => v, JSON.stringify(v, ['b'], 2), { replacer: ['b'], indent: 2 });
  });
  it('python dialect with indent: an object whose members were all dropped is {}', async () => {
    await expectAll(() => ({ a: { x: undefined }, b: 1 }), '{\n  "a": {},\n  "b": 1\n}', { dialect: 'python', indent: 2 });
    await expectAll(() => ({ m: new Map<unknown, number>([[{}, 1]]) }), '{"m": {}}', { dialect: 'python', skipKeys: true });
  });
  it('promises of undefined dropped, first and last (async APIs)', async () => {
    const v = (): unknown => ({ a: Promise.resolve(undefined), b: 1, c: tick(5).then(() => undefined) });
    const c = collector();
    await dump(v(), c.w);
    expect(c.text()).toBe('{"b":1}');
    expect(await joinAsync(stringifyChunks(v(), { indent: 2 }))).toBe('{\n  "b": 1\n}');
    expect(await joinAsync(stringifyChunks({ a: Promise.resolve(undefined) }))).toBe('{}');
  });
});

describe('no module-level mutable state: concurrent dumps', () => {
  const slowValue = (tag: string, ms: number): unknown => ({
    tag,
    items: (async function* () {
      for (let i = 0; i < 20; i++) {
        await tick(ms);
        yield { [`${tag}${i}`]: [i, tag, Promise.resolve(tag.repeat(i % 3))], n: i };
      }
    })(),
    after: tick(ms).then(() => ({ z: tag })),
  });
  const plain = (tag: string): unknown => ({
    tag,
    items: Array.from({ length: 20 }, (_, i) => ({ [`${tag}${i}`]: [i, tag, tag.repeat(i % 3)], n: i })),
    after: { z: tag },
  });
  it('two dumps with different options interleave and both come out right', async () => {
    const oA: DumpOptions = { indent: 2, sortKeys: true };
    const oB: DumpOptions = { dialect: 'python', ensureAscii: true, chunkSize: 7 };
    const cA = collector();
    const cB = collector();
    const [, , sA, sB] = await Promise.all([
      dump(slowValue('ä', 1), cA.w, oA),
      dump(slowValue('b', 2), cB.w, oB),
      joinAsync(stringifyChunks(slowValue('c', 1), { chunkSize: 3 })),
      streamText(createStringifyStream(slowValue('d', 1), { separators: [';', '='] })),
    ]);
    expect(cA.text()).toBe(dumps(plain('ä'), oA));
    expect(cB.text()).toBe(dumps(plain('b'), oB));
    expect(sA).toBe(JSON.stringify(plain('c')));
    expect(sB).toBe(dumps(plain('d'), { separators: [';', '='] }));
  });
  it('a sync dump in the middle of an async one', async () => {
    const c = collector();
    const p = dump(slowValue('x', 2), c.w, { indent: 1 });
    await tick(10);
    expect(dumps(plain('y'), { dialect: 'python' })).toBe(dumps(plain('y'), { dialect: 'python' }));
    expect(dumps({ a: [1, { b: 2 }] })).toBe('{"a":[1,{"b":2}]}');
    await p;
    expect(c.text()).toBe(dumps(plain('x'), { indent: 1 }));
  });
  it('a failing dump does not disturb a concurrent one', async () => {
    const bad = { a: (async function* () {
      yield 1;
      await tick(3);
      yield NaN;
    })() };
    const c = collector();
    const [r1, r2] = await Promise.allSettled([
      joinAsync(stringifyChunks(bad, { allowNaN: false })),
      dump(slowValue('ok', 1), c.w),
    ]);
    expect(r1.status).toBe('rejected');
    const reason = (r1 as PromiseRejectedResult).reason as unknown;
    expect(reason).toBeInstanceOf(JSONDumpError);
    expect(reason).toMatchObject({ code: 'ERR_NON_FINITE', path: '$.a[1]' });
    expect(r2.status).toBe('fulfilled');
    expect(c.text()).toBe(JSON.stringify(plain('ok')));
  });
});

describe('no cache that grows across calls', () => {
  it('200k dumps of objects with unique keys leave the heap where it was', () => {
    if (gc === null) throw new Error("this test reads the heap after V8's gc()");
    const rnd = (): string => Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
    const run = (n: number): number => {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const k1 = `k${i}_${rnd()}`;
        const k2 = `${rnd()} not an identifier ${i}`;
        total += dumps({ [k1]: i, [k2]: [k1], m: new Map([[k2, 1]]) }, i % 2 ? { sortKeys: true } : { dialect: 'python' }).length;
      }
      return total;
    };
    run(10_000);
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    expect(run(200_000)).toBeGreaterThan(0);
    gc();
    gc();
    const after = process.memoryUsage().heapUsed;
    // 400k unique keys of ~40 characters would hold well over 20 MB if they were cached.
    expect(after - before).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('a stream whose last element arrives late still ends', () => {
  it('async generator', async () => {
    const f = (): unknown => (async function* () {
      yield 1;
      yield 2;
      await tick(200);
      yield 3;
    })();
    await expect(joinAsync(stringifyChunks(f()))).resolves.toBe('[1,2,3]');
    const c = collector();
    await dump({ rows: f() }, c.w);
    expect(c.text()).toBe('{"rows":[1,2,3]}');
  });
  it('object-mode Readable: last push and end after 200 ms', async () => {
    const f = (): Readable => {
      const r = new Readable({ objectMode: true, read() {} });
      r.push({ a: 1 });
      setTimeout(() => {
        r.push({ a: 2 });
        r.push(null);
      }, 200);
      return r;
    };
    await expect(streamText(createStringifyStream(f()))).resolves.toBe('[{"a":1},{"a":2}]');
    const c = collector();
    await dump([f()], c.w);
    expect(c.text()).toBe('[[{"a":1},{"a":2}]]');
  });
  it('object-mode Readable: end alone arrives late', async () => {
    const r = new Readable({ objectMode: true, read() {} });
    r.push(1);
    setTimeout(() => r.push(null), 200);
    await expect(joinAsync(stringifyChunks(r))).resolves.toBe('[1]');
  });
  it('byte Readable: last bytes late', async () => {
    const r = new Readable({ read() {} });
    r.push(Buffer.from('ab'));
    setTimeout(() => {
      r.push(Buffer.from([0xe2, 0x82]));
      setTimeout(() => {
        r.push(Buffer.from([0xac]));
        r.push(null);
      }, 200);
    }, 50);
    await expect(joinAsync(stringifyChunks({ t: r }))).resolves.toBe('{"t":"ab€"}');
  });
  it('promise resolving late as the last element', async () => {
    const c = collector();
    await dump([1, tick(200).then(() => 'last')], tmp.file());
    await dump([1, tick(200).then(() => 'last')], c.w);
    expect(c.text()).toBe('[1,"last"]');
  });
});

describe('rawJSON fragments are written verbatim', () => {
  it('everywhere, whatever the options', async () => {
    const frag = '{"z" :  [1,2,{"é":"\\u00e9"}], "a":1e400}';
    const f = (): unknown => ({ a: rawJSON(frag), b: [rawJSON(' 7'.trim()), rawJSON('null')] });
    await expectAll(f, `{"a":${frag},"b":[7,null]}`);
    await expectAll(f, `{\n  "a": ${frag},\n  "b": [\n    7,\n    null\n  ]\n}`, { indent: 2, sortKeys: true });
    await expectAll(f, `{"a": ${frag}, "b": [7, null]}`, { dialect: 'python', ensureAscii: false });
    // ensureAscii promises ASCII-only output: the fragment keeps its layout, only non-ASCII is escaped
    await expectAll(f, `{"a": ${frag.replace('é', '\\u00e9')}, "b": [7, null]}`, { dialect: 'python' });
  });
  it('a large fragment with a small chunkSize', async () => {
    const big = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, s: '😀' + i })));
    await expectAll(() => [rawJSON(big), rawJSON(big)], `[${big},${big}]`, { chunkSize: 64 });
  });
  it('through a replacer and toJSON', async () => {
    const frag = '[1 , 2]';
    expect(dumps({ a: 1 }, { replacer: (k, v) => (k === 'a' ? rawJSON(frag) : v) })).toBe(`{"a":${frag}}`);
    expect(dumps({ a: { toJSON: () => rawJSON(frag) } })).toBe(`{"a":${frag}}`);
  });
});

describe('any depth', () => {
  const N = 1_000_000;
  const deepArray = (n: number): unknown => {
    let v: unknown = [];
    for (let i = 1; i < n; i++) v = [v];
    return v;
  };
  const deepObject = (n: number): unknown => {
    let v: unknown = {};
    for (let i = 1; i < n; i++) v = { a: v };
    return v;
  };
  it('1,000,000-deep array: dumps, stringifyChunksSync, stringifyChunks, dump', async () => {
    const v = deepArray(N);
    const expected = '['.repeat(N) + ']'.repeat(N);
    expect(diff(dumps(v), expected)).toBe('equal');
    expect(diff([...stringifyChunksSync(v)].join(''), expected)).toBe('equal');
    expect(diff((await joinAsync(stringifyChunks(v))), expected)).toBe('equal');
    const p = tmp.file();
    await dump(v, p);
    expect(diff(fs.readFileSync(p, 'utf8'), expected)).toBe('equal');
  });
  it('1,000,000-deep object: dumps (the other APIs at 100,000 below)', () => {
    const v = deepObject(N);
    const expected = '{"a":'.repeat(N - 1) + '{}' + '}'.repeat(N - 1);
    expect(diff(dumps(v), expected)).toBe('equal');
  });
  it('100,000-deep object and array mix: stringifyChunksSync, stringifyChunks, dump, dumpSync, python dialect', async () => {
    let v: unknown = [];
    let expected = '[]';
    for (let i = 1; i < 100_000; i++) {
      v = i % 2 ? { k: v } : [v];
      expected = i % 2 ? `{"k":${expected}}` : `[${expected}]`;
    }
    expect(diff([...stringifyChunksSync(v, { chunkSize: 1000 })].join(''), expected)).toBe('equal');
    expect(diff((await joinAsync(stringifyChunks(v))), expected)).toBe('equal');
    const p = tmp.file();
    dumpSync(v, p);
    expect(diff(fs.readFileSync(p, 'utf8'), expected)).toBe('equal');
    const p2 = tmp.file();
    await dump(v, p2);
    expect(diff(fs.readFileSync(p2, 'utf8'), expected)).toBe('equal');
    const c = collector();
    await dump(v, c.w, { chunkSize: 100 });
    expect(diff(c.text(), expected)).toBe('equal');
    expect(diff(dumps(v, { dialect: 'python' }), expected.replaceAll('":', '": '))).toBe('equal');
  });
  it('deep errors carry the deep path', () => {
    let v: unknown = [NaN];
    for (let i = 1; i < 100_000; i++) v = [v];
    try {
      dumps(v, { allowNaN: false });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JSONDumpError);
      expect((e as JSONDumpError).path).toBe('$' + '[0]'.repeat(100_000));
    }
  });
  it('deep with indent, python dialect (checked against python for a small depth)', async () => {
    const pretty = (n: number, ind: string): string => {
      const lines: string[] = [];
      for (let i = 0; i < n - 1; i++) lines.push(ind.repeat(i) + '[');
      lines.push(ind.repeat(n - 1) + '[]');
      for (let i = n - 2; i >= 0; i--) lines.push(ind.repeat(i) + ']');
      return lines.join('\n');
    };
    const py = execFileSync('python3', ['-c', 'import json; v=[]\nfor _ in range(5): v=[v]\nprint(json.dumps(v, indent=2), end="")'], { encoding: 'utf8' });
    expect(pretty(6, '  ')).toBe(py);
    const n = 3000;
    const v = deepArray(n);
    const expected = pretty(n, '  ');
    expect(diff(dumps(v, { dialect: 'python', indent: 2 }), expected)).toBe('equal');
    expect(diff([...stringifyChunksSync(v, { dialect: 'python', indent: 2 })].join(''), expected)).toBe('equal');
    expect(diff((await joinAsync(stringifyChunks(v, { indent: 2 }))), expected)).toBe('equal');
    const c = collector();
    await dump(v, c.w, { indent: 2 });
    expect(diff(c.text(), expected)).toBe('equal');
  });
});
