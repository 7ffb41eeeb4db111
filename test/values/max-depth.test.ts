// maxDepth: a container nested deeper than the limit raises ERR_LIMIT at its path, before any of
// it is written, whether the walk or the native fast path would write it; an atomic target is
// left as it was. Depth counts containers: the top-level value's brackets are level 1.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser } from 'stream-json';
import { dump, dumpLines, dumps, dumpSync, encodeTokens, JSONDumpError, rawJSON, stringifyChunksSync } from '../../src/index.js';
import { expectEveryApi } from '../helpers/every-api.js';
import { useTempDir } from '../helpers/io.js';
import { pathSegment } from '../../src/json-path.js';

const tmp = useTempDir('max-depth');

/** How deep containers nest in a JSON value (a scalar: 0). */
function depthOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let max = 0;
  for (const x of Object.values(v)) max = Math.max(max, depthOf(x));
  return max + 1;
}

/** The path of the first container, in document order, deeper than `limit`; null if none. */
function firstTooDeep(v: unknown, limit: number, p = '$', depth = 1): string | null {
  if (typeof v !== 'object' || v === null) return null;
  if (depth > limit) return p;
  for (const [k, x] of Object.entries(v)) {
    const found = firstTooDeep(x, limit, p + pathSegment(Array.isArray(v) ? Number(k) : k), depth + 1);
    if (found !== null) return found;
  }
  return null;
}

describe('through every API', () => {
  const records = () => Array.from({ length: 50 }, (_, i) => ({ id: i, a: { b: [i, { c: 'x' }] } }));

  it('nesting up to the limit is written in full; one level more is ERR_LIMIT at the container', async () => {
    expect(depthOf(records())).toBe(5);
    await expectEveryApi(records, JSON.stringify(records()), { maxDepth: 5 });
    // Plain records go through native JSON.stringify: the limit holds there too.
    await expectEveryApi(records, { code: 'ERR_LIMIT', path: '$[0].a.b[1]' }, { maxDepth: 4 });
    await expectEveryApi(records, { code: 'ERR_LIMIT', path: '$[0].a.b' }, { maxDepth: 3, indent: 2 });
  });

  it('Maps, Sets, iterables and async sources are containers too; a rawJSON fragment is a value', async () => {
    const make = () => ({ m: new Map([['s', new Set([[1]])]]), raw: rawJSON('[[[[1]]]]') });
    await expectEveryApi(make, '{"m":{"s":[[1]]},"raw":[[[[1]]]]}', { maxDepth: 4 });
    await expectEveryApi(make, { code: 'ERR_LIMIT', path: '$.m.s[0]' }, { maxDepth: 3 });
    const stream = () => ({ rows: Readable.from([{ a: [1] }]) });
    await expectEveryApi(stream, { code: 'ERR_LIMIT', path: '$.rows[0].a' }, { maxDepth: 3 }, { async: true });
  });

  it('maxDepth 0 allows scalars only', async () => {
    await expectEveryApi('x', '"x"', { maxDepth: 0 });
    await expectEveryApi([], { code: 'ERR_LIMIT', path: '$' }, { maxDepth: 0 });
  });
});

describe('nothing deeper is written', () => {
  it('the text let out before the error stops before the too-deep container', () => {
    const v = { ok: 'x', deep: [[['SECRET']]] };
    const chunks: string[] = [];
    let error: unknown = null;
    try {
      for (const c of stringifyChunksSync(v, { maxDepth: 2, chunkSize: 1 })) chunks.push(c);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ERR_LIMIT', path: '$.deep[0]', message: 'nesting deeper than maxDepth (2) at $.deep[0]' });
    expect('{"ok":"x","deep":['.startsWith(chunks.join(''))).toBe(true);
  });

  it('a 1,000,000-deep array fails at level maxDepth + 1', () => {
    let v: unknown = [];
    for (let i = 0; i < 1_000_000; i++) v = [v];
    expect(() => dumps(v, { maxDepth: 1000 })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT', path: '$' + '[0]'.repeat(1000) }));
  });

  it('with atomic (the default), a path target is untouched and no temporary file is left', async () => {
    const v = { a: [[1]] };
    for (const write of [(p: string) => dump(v, p, { maxDepth: 2 }), async (p: string) => dumpSync(v, p, { maxDepth: 2 })]) {
      const dir = tmp.dir();
      const target = path.join(dir, 'out.json');
      fs.writeFileSync(target, 'OLD');
      await expect(write(target)).rejects.toMatchObject({ code: 'ERR_LIMIT', path: '$.a[0]' });
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

  it('dumpLines: each record counts from 1', async () => {
    expect(await lines([[1], { a: 2 }], 1)).toBe('[1]\n{"a":2}\n');
    expect(await lines([[1], [[2]]], 1)).toMatchObject({ code: 'ERR_LIMIT', path: '$[1][0]' });
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

  it('encodeTokens: ERR_LIMIT at the container token; with lines, the top-level array is not counted', async () => {
    expect(await encoded('{"a":[1,{"b":2}]}', { maxDepth: 3 })).toBe('{"a":[1,{"b":2}]}');
    expect(await encoded('{"a":[1,{"b":2}]}', { maxDepth: 2 })).toMatchObject({ code: 'ERR_LIMIT', path: '$.a[1]' });
    expect(await encoded('[[1],[[2]]]', { maxDepth: 1, lines: true })).toMatchObject({ code: 'ERR_LIMIT', path: '$[1][0]' });
  });
});

describe('property: against the depth of the value', () => {
  it('JSON.stringify text when the value nests no deeper than the limit, else ERR_LIMIT at the first container past it', () => {
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

describe('the option', () => {
  it('takes a non-negative integer (or Infinity); anything else is ERR_BAD_OPTION', () => {
    expect(dumps([[1]], { maxDepth: Infinity })).toBe('[[1]]');
    for (const bad of [-1, 1.5, NaN, '3', 3n]) {
      expect(() => dumps(1, { maxDepth: bad as number })).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION' }));
    }
  });
});
