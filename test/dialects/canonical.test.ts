// canonical: RFC 8785 (JCS). Oracles written by others: the JCS authors' test vectors
// (fixtures/jcs: input → canonical bytes, through every API), their ES6 number sequence (generated
// here as their README describes; the SHA-256 of its first 1000/10000/100000 lines is published),
// and the `canonicalize` package (by an author of the RFC) on generated values. Then what JCS
// refuses (non-finite numbers, lone surrogates, integers past 2^53) and the options that cannot
// be canonical.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpLines, dumps, encodeTokens, rawJSON, stringifyChunksSync } from '../../src/index.js';
import { everyApi, expectEveryApi } from '../helpers/every-api.js';

const jcs = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'jcs');
const VECTORS = fs.readdirSync(path.join(jcs, 'input')).map((f) => f.replace(/\.json$/, ''));
const canonical = { canonical: true } as const;

describe('the JCS test vectors (fixtures/jcs), byte for byte, through every API', () => {
  it.each(VECTORS)('%s', async (name) => {
    const input = JSON.parse(fs.readFileSync(path.join(jcs, 'input', `${name}.json`), 'utf8')) as unknown;
    const expected = fs.readFileSync(path.join(jcs, 'output', `${name}.json`));
    const hex = fs.readFileSync(path.join(jcs, 'outhex', `${name}.txt`), 'utf8').trim().split(/\s+/).join('');
    expect(expected.toString('hex')).toBe(hex);
    await expectEveryApi(input, expected.toString('utf8'), canonical);
    // The bytes: the text is UTF-8 encoded as the RFC requires.
    expect(Buffer.from(dumps(input, canonical), 'utf8').equals(expected)).toBe(true);
  });
});

describe('ES6 number text: the JCS authors\' number sequence', () => {
  /**
   * The sequence of the JCS test data's README: its fixed list of edge cases (which holds every
   * value of RFC 8785 appendix B), then the 2000 doubles from the smallest normal upward, then the
   * doubles of a SHA-256 chain (each block the hash of the one before, from 32 zero bytes; four
   * little-endian doubles a block, skipping zeros and non-finite ones).
   */
  function* sequence(): Generator<bigint> {
    for (const hex of fs.readFileSync(path.join(jcs, 'es6-numbers-static.txt'), 'utf8').trim().split('\n')) yield BigInt(`0x${hex}`);
    for (let i = 0n; i < 2000n; i++) yield 0x0010000000000000n + i;
    let block = Buffer.alloc(32);
    for (;;) {
      block = createHash('sha256').update(block).digest();
      for (let o = 0; o < 32; o += 8) {
        const f = block.readDoubleLE(o);
        if (f !== 0 && Number.isFinite(f)) yield block.readBigUInt64LE(o);
      }
    }
  }

  const bits = (() => {
    const out: bigint[] = [];
    for (const b of sequence()) if (out.push(b) === 100_000) break;
    return out;
  })();
  const doubles = bits.map((b) => {
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64BE(b);
    return buf.readDoubleBE();
  });

  /** The published file's lines: `hex-ieee,expected` with `expected` from `texts`. */
  const sha256 = (texts: string[], n: number): string => {
    const hash = createHash('sha256');
    for (let i = 0; i < n; i++) hash.update(`${bits[i].toString(16)},${texts[i]}\n`);
    return hash.digest('hex');
  };

  const PUBLISHED: [number, string][] = [
    [1000, 'be18b62b6f69cdab33a7e0dae0d9cfa869fda80ddc712221570f9f40a5878687'],
    [10000, 'b9f7a8e75ef22a835685a52ccba7f7d6bdc99e34b010992cbc5864cd12be6892'],
    [100000, '22776e6d4b49fa294a0d0f349268e5c28808fe7e0cb2bcbe28f63894e494d4c7'],
  ];

  it('the native path (plain arrays of numbers) writes the published hashes', () => {
    const texts = dumps(doubles, canonical).slice(1, -1).split(',');
    expect(texts).toHaveLength(100_000);
    for (const [n, hash] of PUBLISHED) expect(sha256(texts, n), `${n} lines`).toBe(hash);
  });

  it('the walk (a replacer keeps the native path out) writes the published hashes', () => {
    const text = [...stringifyChunksSync(doubles, { ...canonical, replacer: (_k, v: unknown) => v, chunkSize: 4096 })].join('');
    const texts = text.slice(1, -1).split(',');
    for (const [n, hash] of PUBLISHED) expect(sha256(texts, n), `${n} lines`).toBe(hash);
  });

  it('RFC 8785 appendix B, as listed there', () => {
    const table: [string, string][] = [
      ['0000000000000000', '0'], ['8000000000000000', '0'], ['0000000000000001', '5e-324'], ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'], ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'], ['c340000000000000', '-9007199254740992'], ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'], ['44b52d02c7e14af6', '1e+23'], ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'], ['444b1ae4d6e2ef4f', '999999999999999900000'], ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'], ['3eb0c6f7a0b5ed8d', '0.000001'], ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'], ['41b3de4355555555', '333333333.3333333'], ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'], ['becbf647612f3696', '-0.0000033333333333333333'], ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    const values = table.map(([hex]) => Buffer.from(hex, 'hex').readDoubleBE());
    expect(dumps(values, canonical)).toBe(`[${table.map(([, text]) => text).join(',')}]`);
  });
});

describe('against the canonicalize package on generated values', () => {
  const text = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 }), fc.constantFrom('é', '😀', '\u2028', '<', '\u007f', 'a\ud800'));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), text),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(text, tie('value'), { maxKeys: 5 }),
    ),
  }));
  const wellFormed = (v: unknown): boolean =>
    typeof v === 'string'
      ? !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v)
      : typeof v !== 'object' || v === null || Object.entries(v).every(([k, x]) => wellFormed(k) && wellFormed(x));

  it('the same text for well-formed values; ERR_UNSERIALIZABLE for lone surrogates', () => {
    fc.assert(
      fc.property(value, fc.constantFrom(3, 65536), (v, chunkSize) => {
        const run = () => [...stringifyChunksSync(v, { ...canonical, chunkSize })].join('');
        if (wellFormed(v)) {
          expect(run()).toBe(canonicalize(v));
          expect(dumps(v, canonical)).toBe(canonicalize(v));
        } else {
          expect(run).toThrow(expect.objectContaining({ code: 'ERR_UNSERIALIZABLE' }));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('what else is canonical', () => {
  it('Map keys are sorted after coercion, as object keys are', async () => {
    const make = () => new Map<unknown, unknown>([[2, 'a'], [10, 'b'], ['1', 'c'], [true, 'd'], [10n ** 20n, 'e']]);
    await expectEveryApi(make, '{"1":"c","10":"b","100000000000000000000":"e","2":"a","true":"d"}', canonical);
  });

  it('members in any order at any depth give the same bytes (the native path sorts with the subtree\'s keys)', async () => {
    const records = (reverse: boolean) => () =>
      Array.from({ length: 200 }, (_, i) => {
        const entries: [string, unknown][] = [['id', i], ['z', { b: [i, { y: 1, x: 2 }], a: null }], ['B', 'upper'], ['\u00e9', 'e'], ['😀', 1], ['\uffff', 2]];
        return Object.fromEntries(reverse ? entries.reverse() : entries);
      });
    const expected = canonicalize(records(false)())!;
    await expectEveryApi(records(false), expected, canonical);
    await expectEveryApi(records(true), expected, canonical);
  });

  it('rawJSON fragments are parsed and written canonically', () => {
    expect(dumps({ b: rawJSON('{"z": [1.0, 1E2, "\\u0041"], "a": -0}'), a: 1 }, canonical)).toBe('{"a":1,"b":{"a":0,"z":[1,100,"A"]}}');
  });

  it('dumpLines: every line is canonical', async () => {
    let out = '';
    await dumpLines([{ b: 1, a: [2.50] }, { d: 'x', c: 1e21 }], new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) }), canonical);
    expect(out).toBe('{"a":[2.5],"b":1}\n{"c":1e+21,"d":"x"}\n');
  });

  it("bigint: within ±2^53 as digits; with bigint: 'string', any bigint as a string", async () => {
    await expectEveryApi({ n: 2n ** 53n, m: -(2n ** 53n) }, '{"m":-9007199254740992,"n":9007199254740992}', canonical);
    await expectEveryApi({ n: 2n ** 64n }, '{"n":"18446744073709551616"}', { ...canonical, bigint: 'string' });
  });

  it('a document and its signature: the hash of the canonical bytes does not depend on member order', () => {
    const a = { amount: 100.5, to: 'Ada', meta: { at: '2026-01-01', id: 7 } };
    const b = { meta: { id: 7, at: '2026-01-01' }, to: 'Ada', amount: 100.50 };
    const digest = (v: unknown) => createHash('sha256').update(dumps(v, canonical)).digest('hex');
    expect(digest(a)).toBe(digest(b));
    expect(digest(a)).toBe(createHash('sha256').update(canonicalize(a)!).digest('hex'));
  });
});

describe('what JCS refuses: ERR_UNSERIALIZABLE with the path', () => {
  it.each([
    ['NaN', { a: [1, NaN] }, '$.a[1]'],
    ['Infinity', { a: { b: -Infinity } }, '$.a.b'],
    ['a lone surrogate in a string', { a: ['ok', 'x\udc00'] }, '$.a[1]'],
    ['a lone surrogate in a key', { a: { 'k\ud800': 1 } }, '$.a["k\\ud800"]'],
    ['a lone surrogate in a Map key', { m: new Map([['\ud800', 1]]) }, '$.m["\\ud800"]'],
    ['a bigint past 2^53', { n: [2n ** 53n + 1n] }, '$.n[0]'],
    ['a negative bigint past 2^53', { n: -(2n ** 53n) - 1n }, '$.n'],
    ['a rawJSON number past the doubles', { r: rawJSON('1e400') }, '$.r'],
  ])('%s', async (_name, v, at) => {
    await expectEveryApi(v, { code: 'ERR_UNSERIALIZABLE', path: at }, canonical);
  });

  it('a lone surrogate in a streamed string, even one whose pair never comes', async () => {
    // A Web stream of strings hands its strings over as they are (a Node Readable would encode them).
    const stream = (...parts: string[]) => () => ({ s: ReadableStream.from(parts) });
    const outputs = await everyApi(stream('a\ud83d', '\ude00b'), canonical, { async: true });
    for (const out of Object.values(outputs)) expect(out).toBe('{"s":"a😀b"}');
    await expectEveryApi(stream('a\ud83d', 'b'), { code: 'ERR_UNSERIALIZABLE', path: '$.s' }, canonical, { async: true });
    await expectEveryApi(stream('a', '\ud83d'), { code: 'ERR_UNSERIALIZABLE', path: '$.s' }, canonical, { async: true });
  });
});

describe('options that cannot be canonical are ERR_BAD_OPTION', () => {
  it.each([
    ['indent', { indent: 2 }],
    ['separators', { separators: [',', ':'] }],
    ['sortKeys', { sortKeys: true }],
    ['ensureAscii', { ensureAscii: false }],
    ['escapeHTML', { escapeHTML: true }],
    ['escapeLineTerminators', { escapeLineTerminators: false }],
    ['dialect', { dialect: 'python' }],
    ['allowNaN', { allowNaN: true }],
  ])('%s', (name, extra) => {
    expect(() => dumps({}, { ...canonical, ...extra } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_OPTION', message: expect.stringContaining(name) }),
    );
  });

  it('encodeTokens: it cannot sort a token stream', () => {
    expect(() => encodeTokens(canonical)).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION', message: expect.stringContaining('canonical') }));
  });

  it('canonical: false, dialect js and allowNaN: false are fine; canonical must be a boolean', () => {
    expect(dumps({ b: 1, a: 2 }, { canonical: false, indent: 1 })).toBe('{\n "b": 1,\n "a": 2\n}');
    expect(dumps({ b: 1, a: 2 }, { canonical: true, dialect: 'js', allowNaN: false })).toBe('{"a":2,"b":1}');
    expect(() => dumps(1, { canonical: 'yes' as never })).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION' }));
  });
});
