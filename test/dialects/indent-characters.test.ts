// An indent string is written verbatim at every level (API.md: "string → used verbatim per
// level"), whatever its characters, on every path (plain data written natively, Maps and
// iterables written by the walker), and in the python dialect exactly as json.dumps writes it.
// Found by test/dialects/fuzz-options-js.test.ts, base seed 20250701 (npm test's): U+0000 by "every
// option at once, dumps and stringifyChunksSync only" at its run 132 of 1500; the escaped
// indent by "every option at once" at its run 129 of 600.
import { beforeAll, describe, expect, it } from 'vitest';
import { dumps } from '../../src/index.js';
import { N, runPython, type PyNode, type PyResult } from '../helpers/python.js';
import { stringifyLike } from '../helpers/stringify-oracle.js';

const doc: PyNode = N.obj([['a', N.list(N.num(1), N.obj([['b', N.num(2)]]))], ['c', N.str('é')]]);
const plain = { a: [1, { b: 2 }], c: 'é' };
const viaMap = (): unknown => new Map<string, unknown>([['a', [1, new Map([['b', 2]])]], ['c', 'é']]);

const NUL = 'ab\u0000c';
const NON_ASCII = ['é', '\u007f', '→ ', '😀'];
const python = new Map<string, string>();

beforeAll(() => {
  const indents = [NUL, ...NON_ASCII];
  const results: PyResult[] = runPython(indents.map((indent) => ({ node: doc, kwargs: { indent } })));
  indents.forEach((indent, i) => python.set(indent, (results[i] as { ok: string }).ok));
});

describe('an indent containing U+0000', () => {
  it('js dialect: the whole indent, plain data and Maps alike', () => {
    const expected = stringifyLike(plain, { indent: NUL });
    expect(dumps(plain, { indent: NUL })).toBe(expected);
    expect(dumps(viaMap(), { indent: NUL })).toBe(expected);
  });
  it('python dialect: as json.dumps', () => {
    expect(dumps(plain, { dialect: 'python', indent: NUL })).toBe(python.get(NUL));
  });
});

describe('ensureAscii escapes strings, not the indent', () => {
  for (const indent of NON_ASCII) {
    it(`indent ${JSON.stringify(indent)}: python dialect (ensure_ascii by default) as json.dumps`, () => {
      expect(dumps(plain, { dialect: 'python', indent })).toBe(python.get(indent));
    });
    it(`indent ${JSON.stringify(indent)}: js dialect with ensureAscii, plain data and Maps alike`, () => {
      const expected = stringifyLike(plain, { indent, ensureAscii: true });
      expect(dumps(plain, { indent, ensureAscii: true })).toBe(expected);
      expect(dumps(viaMap(), { indent, ensureAscii: true })).toBe(expected);
    });
  }
});
