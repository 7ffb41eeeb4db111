// maxDepth, as docs/API.md states it: the root value is depth 0, the members of a container at
// depth d are at depth d + 1, and a value deeper than maxDepth raises ERR_LIMIT at its path
// before any of it is written (so a container at depth maxDepth is written only empty), whether
// the walk, the native fast path or encodeTokens writes it; an atomic target is left as it was.
// JSON Lines: each record is a root.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser } from 'stream-json';
import {
  createReformatStream, dump, dumpLines, dumps, dumpSync, encodeTokens, JSONDumpError, rawJSON, reformat, stringifyChunksSync,
} from '../../src/index.js';
import { expectEveryApi } from '../helpers/every-api.js';
import { collector, useTempDir } from '../helpers/io.js';
import { pathSegment } from '../../src/json-path.js';

const tmp = useTempDir('max-depth');

/** The depth of the deepest value in a JSON value: the root is 0, a member one more than its container. */
function depthOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let max = -1;
  for (const x of Object.values(v)) max = Math.max(max, depthOf(x));
  return max + 1;
}

/** The path of the first value, in document order, deeper than `limit`; null if none. */
function firstTooDeep(v: unknown, limit: number, p = '$', depth = 0): string | null {
  if (depth > limit) return p;
  if (typeof v !== 'object' || v === null) return null;
  for (const [k, x] of Object.entries(v)) {
    const found = firstTooDeep(x, limit, p + pathSegment(Array.isArray(v) ? Number(k) : k), depth + 1);
    if (found !== null) return found;
  }
  return null;
}

describe('through every API', () => {
  const records = () => Array.from({ length: 50 }, (_, i) => ({ id: i, a: { b: [i, { c: 'x' }] } }));

  it('docs/API.md\'s example: with maxDepth 2, {"a":{"b":{}}} passes and {"a":{"b":{"c":{}}}} raises at $.a.b.c', async () => {
    await expectEveryApi({ a: { b: {} } }, '{"a":{"b":{}}}', { maxDepth: 2 });
    await expectEveryApi({ a: { b: { c: {} } } }, { code: 'ERR_LIMIT', path: '$.a.b.c' }, { maxDepth: 2 });
  });

  it('values up to the limit are written in full; a value one level deeper, scalar or not, is ERR_LIMIT at its path', async () => {
    expect(depthOf(records())).toBe(5);
    await expectEveryApi(records, JSON.stringify(records()), { maxDepth: 5 });
    // Plain records go through native JSON.stringify: the limit holds there too.
    await expectEveryApi(records, { code: 'ERR_LIMIT', path: '$[0].a.b[1].c' }, { maxDepth: 4 });
    await expectEveryApi(records, { code: 'ERR_LIMIT', path: '$[0].a.b[0]' }, { maxDepth: 3, indent: 2 });
  });

  it('Maps, Sets, iterables and async sources are containers too; a rawJSON fragment is a value', async () => {
    const make = () => ({ m: new Map([['s', new Set([[1]])]]), raw: rawJSON('[[[[1]]]]') });
    await expectEveryApi(make, '{"m":{"s":[[1]]},"raw":[[[[1]]]]}', { maxDepth: 4 });
    await expectEveryApi(make, { code: 'ERR_LIMIT', path: '$.m.s[0][0]' }, { maxDepth: 3 });
    const stream = () => ({ rows: Readable.from([{ a: [1] }]) });
    await expectEveryApi(stream, { code: 'ERR_LIMIT', path: '$.rows[0].a[0]' }, { maxDepth: 3 }, { async: true });
  });

  it('maxDepth 0 allows a scalar or an empty container; a member is one level too deep', async () => {
    for (const [v, text] of [['x', '"x"'], [[], '[]'], [{}, '{}'], [new Map(), '{}'], [new Set(), '[]'], [{ gone: undefined }, '{}']] as const) {
      await expectEveryApi(v, text, { maxDepth: 0 });
    }
    await expectEveryApi([1], { code: 'ERR_LIMIT', path: '$[0]' }, { maxDepth: 0 });
    await expectEveryApi({ a: null }, { code: 'ERR_LIMIT', path: '$.a' }, { maxDepth: 0 });
    await expectEveryApi([undefined], { code: 'ERR_LIMIT', path: '$[0]' }, { maxDepth: 0 }); // written as null
  });

  it('around the native fast path\'s own depth (64): a chain exactly as deep as the limit passes, one deeper fails', () => {
    /** A leaf at depth n, under objects and arrays in turn. */
    const chain = (n: number): unknown => {
      let v: unknown = 'leaf';
      for (let i = 0; i < n; i++) v = i % 2 === 0 ? [v, 1] : { k: v, n: 2 };
      return v;
    };
    for (const limit of [1, 63, 64, 65, 66, 128, 200]) {
      for (const v of [chain(limit), chain(limit + 1)]) {
        const want = firstTooDeep(v, limit);
        for (const run of [() => dumps(v, { maxDepth: limit }), () => [...stringifyChunksSync(v, { maxDepth: limit, chunkSize: 7 })].join('')]) {
          if (want === null) expect(run()).toBe(JSON.stringify(v));
          else expect(run).toThrow(expect.objectContaining({ code: 'ERR_LIMIT', path: want }));
        }
      }
      expect(firstTooDeep(chain(limit), limit)).toBeNull();
    }
  });
});

describe('nothing deeper is written', () => {
  it('the text let out before the error stops before the value too deep', () => {
    const v = { ok: 'x', deep: [[['SECRET']]] };
    const chunks: string[] = [];
    let error: unknown = null;
    try {
      for (const c of stringifyChunksSync(v, { maxDepth: 2, chunkSize: 1 })) chunks.push(c);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ERR_LIMIT', path: '$.deep[0][0]', message: 'nesting deeper than maxDepth (2) at $.deep[0][0]' });
    // $.deep[0] (depth 2) opens; nothing of $.deep[0][0] (depth 3), not even its bracket.
    expect('{"ok":"x","deep":[['.startsWith(chunks.join(''))).toBe(true);
  });

  it('a 1,000,000-deep array fails at depth maxDepth + 1', () => {
    let v: unknown = [];
    for (let i = 0; i < 1_000_000; i++) v = [v];
    expect(() => dumps(v, { maxDepth: 1000 })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT', path: '$' + '[0]'.repeat(1001) }));
  });

  it('with atomic (the default), a path target is untouched and no temporary file is left', async () => {
    const v = { a: [[1]] };
    for (const write of [(p: string) => dump(v, p, { maxDepth: 2 }), async (p: string) => dumpSync(v, p, { maxDepth: 2 })]) {
      const dir = tmp.dir();
      const target = path.join(dir, 'out.json');
      fs.writeFileSync(target, 'OLD');
      await expect(write(target)).rejects.toMatchObject({ code: 'ERR_LIMIT', path: '$.a[0][0]' });
      expect(fs.readFileSync(target, 'utf8')).toBe('OLD');
      expect(fs.readdirSync(dir)).toEqual(['out.json']);
    }
  });
});

describe('JSON Lines and tokens: the records array is not a level', () => {
  async function lines(records: unknown, maxDepth: number): Promise<string | JSONDumpError> {
    let text = '';
    try {
      await dumpLines(records, new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) }), { maxDepth });
      return text;
    } catch (e) {
      return e as JSONDumpError;
    }
  }

  it('dumpLines: each record is a root (depth 0)', async () => {
    expect(await lines([[1], { a: 2 }], 1)).toBe('[1]\n{"a":2}\n');
    expect(await lines([[1], [[2]]], 1)).toMatchObject({ code: 'ERR_LIMIT', path: '$[1][0][0]' });
    expect(await lines([[], {}, 3], 0)).toBe('[]\n{}\n3\n');
    expect(await lines([[], [1]], 0)).toMatchObject({ code: 'ERR_LIMIT', path: '$[1][0]' });
  });

  async function encoded(json: string, o: { maxDepth: number; lines?: boolean }): Promise<string | JSONDumpError> {
    let text = '';
    try {
      await pipeline(Readable.from([json]), parser.asStream(), encodeTokens(o), new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) }));
      return text;
    } catch (e) {
      return e as JSONDumpError;
    }
  }

  it('encodeTokens: ERR_LIMIT at the value too deep, before its key; with lines, each record is a root', async () => {
    expect(await encoded('{"a":[1,{"b":2}]}', { maxDepth: 3 })).toBe('{"a":[1,{"b":2}]}');
    expect(await encoded('{"a":[1,{"b":2}]}', { maxDepth: 2 })).toMatchObject({ code: 'ERR_LIMIT', path: '$.a[1].b' });
    expect(await encoded('{"a":{"b":{}}}', { maxDepth: 2 })).toBe('{"a":{"b":{}}}');
    expect(await encoded('{"a":{"b":{"c":{}}}}', { maxDepth: 2 })).toMatchObject({ code: 'ERR_LIMIT', path: '$.a.b.c' });
    expect(await encoded('[]', { maxDepth: 0 })).toBe('[]');
    expect(await encoded('[[1],[[2]]]', { maxDepth: 1, lines: true })).toMatchObject({ code: 'ERR_LIMIT', path: '$[1][0][0]' });
  });

  it('encodeTokens: nothing of the member too deep is let out, not even its key', async () => {
    let text = '';
    const secret = 'S'.repeat(10);
    const result = await pipeline(
      Readable.from([`{"ok":1,"deep":{"${secret}":2}}`]),
      parser.asStream(),
      encodeTokens({ maxDepth: 1, chunkSize: 1 }),
      new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) }),
    ).then(() => null, (e: unknown) => e);
    expect(result).toMatchObject({ code: 'ERR_LIMIT', path: `$.deep.${secret}` });
    expect(text).not.toContain('S');
  });
});

describe('property: against the depth of the value', () => {
  it('JSON.stringify text when no value is deeper than the limit, else ERR_LIMIT at the first value past it', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.nat(7), fc.constantFrom(3, 65536), (v, maxDepth, chunkSize) => {
        const tooDeep = firstTooDeep(v, maxDepth);
        for (const run of [() => dumps(v, { maxDepth }), () => [...stringifyChunksSync(v, { maxDepth, chunkSize })].join('')]) {
          if (tooDeep === null) expect(run()).toBe(JSON.stringify(v));
          else expect(run).toThrow(expect.objectContaining({ code: 'ERR_LIMIT', path: tooDeep }));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('reformat', () => {
  it('refuses maxDepth (ERR_BAD_OPTION) instead of ignoring it, as every option it cannot honour', async () => {
    for (const options of [{ maxDepth: 1 }, { maxBytes: 10 }, { canonical: true }, { circular: 'null' }, { bigint: 'string' }]) {
      const out = collector();
      await expect(reformat(Buffer.from('[[[1]]]'), out.w, options as never), JSON.stringify(options)).rejects.toMatchObject({ code: 'ERR_BAD_OPTION' });
      expect(() => createReformatStream(options as never)).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION' }));
    }
  });
});

describe('the option', () => {
  it('takes a non-negative integer (or Infinity); anything else is ERR_BAD_OPTION', () => {
    expect(dumps([[1]], { maxDepth: Infinity })).toBe('[[1]]');
    for (const bad of [-1, 1.5, NaN, '3', 3n]) {
      expect(() => dumps(1, { maxDepth: bad as number })).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION' }));
    }
  });
});
