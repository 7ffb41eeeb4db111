// A byte stream inside the value must be UTF-8: by default, bytes that are not fail the dump
// with ERR_INVALID_UTF8 at the stream's path, naming the byte offset of the first bad
// sequence, wherever the chunks are cut; `invalidUTF8: 'replace'` writes U+FFFD instead, as
// the WHATWG decoder (TextDecoder) replaces them.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { dumps, JSONDumpError } from '../../src/index.js';
import { allVariants, allVariantsSettled, describeError } from '../helpers/variants.js';

/** A byte stream of `bytes`, cut into chunks of `size` bytes. */
function bytesStream(bytes: number[], size: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(Buffer.from(bytes.slice(i, i + size)));
  return Readable.from(chunks, { objectMode: false });
}

const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];

/** Bytes that are not UTF-8, and the offset of the first bad sequence. */
const INVALID: [string, number[], number][] = [
  ['a byte that never starts a sequence', [...utf8('ab'), 0xff, ...utf8('c')], 2],
  ['a lone continuation byte', [...utf8('é'), 0x80], 2],
  ['an overlong encoding', [...utf8('x'), 0xc0, 0x80], 1],
  ['an encoded surrogate', [...utf8('東京'), 0xed, 0xa0, 0x80], 6],
  ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ['a sequence cut short by an ASCII byte', [...utf8('abc'), 0xe4, 0xb8, 0x41], 3],
  ['a sequence cut short by the end', [...utf8('😀 ok '), 0xf0, 0x9f, 0x98], 8],
  ['a bad byte after a long valid text', [...utf8('ü'.repeat(5000)), 0xfe], 10000],
];

const PLACES: [string, (s: Readable) => unknown, string][] = [
  ['at the root', (s) => s, '$'],
  ['in a member', (s) => ({ id: 1, data: s }), '$.data'],
  ['in an array', (s) => [1, s], '$[1]'],
];

describe('invalid UTF-8 in a byte stream fails the dump', () => {
  for (const [what, bytes, offset] of INVALID) {
    for (const size of [1, 2, 3, 64 * 1024]) {
      it(`${what}, chunks of ${size} bytes`, async () => {
        for (const [, put, path] of PLACES) {
          const settled = await allVariantsSettled(() => put(bytesStream(bytes, size)), {}, { async: true });
          for (const [variant, r] of Object.entries(settled)) {
            expect(r.ok, variant).toBe(false);
            if (r.ok) continue;
            expect(describeError(r.error), variant).toBe(`ERR_INVALID_UTF8 ${path}`);
            expect((r.error as JSONDumpError).message).toBe(`the byte stream is not valid UTF-8 (byte ${offset}) at ${path}`);
          }
        }
      });
    }
  }

  it('valid text cut anywhere is written whole', async () => {
    const text = 'a é 東京 😀 \u0000 " \\ z'.repeat(50);
    for (const size of [1, 2, 3, 5, 7]) {
      const texts = await allVariants(() => ({ s: bytesStream(utf8(text), size) }), {}, { async: true });
      for (const out of Object.values(texts)) expect(out).toBe(JSON.stringify({ s: text }));
    }
  });

  it("invalidUTF8: 'replace' writes U+FFFD as TextDecoder does", async () => {
    for (const [, bytes] of INVALID) {
      const expected = JSON.stringify({ s: new TextDecoder().decode(Buffer.from(bytes)) });
      for (const size of [1, 3, 64 * 1024]) {
        const texts = await allVariants(() => ({ s: bytesStream(bytes, size) }), { invalidUTF8: 'replace' } as never, { async: true });
        for (const out of Object.values(texts)) expect(out).toBe(expected);
      }
    }
  });

  it('the option takes error or replace', () => {
    expect(() => dumps(1, { invalidUTF8: 'ignore' } as never)).toThrow(JSONDumpError);
    expect(() => dumps(1, { invalidUTF8: 'ignore' } as never)).toThrow("option invalidUTF8 must be 'error' or 'replace'");
    expect(dumps(1, { invalidUTF8: 'error' } as never)).toBe('1');
  });
});
