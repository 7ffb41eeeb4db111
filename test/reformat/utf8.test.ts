// Input bytes that are not UTF-8: refused with the byte offset of the first ill-formed sequence,
// or replaced with U+FFFD exactly as the WHATWG decoder (TextDecoder) replaces them, whatever
// the chunk boundaries. A byte order mark is skipped.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { JSONDumpError } from '../../src/index.js';
import { Utf8Chunker } from '../../src/reformat/utf8-chunks.js';
import { reformatEverywhere, reformatText, splitRandomly, stringifyOracle } from '../helpers/reformat.js';

const fatal = new TextDecoder('utf-8', { fatal: true });
const replacing = new TextDecoder('utf-8');
/** The UTF-8 stage passes a leading byte order mark on (the encoder skips it). */
const replacingAll = new TextDecoder('utf-8', { ignoreBOM: true });

/** Bytes that are mostly UTF-8-like: ASCII, lead bytes, continuation bytes, and the edges of each range. */
const utf8ish = fc.uint8Array({ maxLength: 40 }).chain((seed) =>
  fc.array(
    fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.integer({ min: 0x80, max: 0xbf }),
      fc.constantFrom(0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf),
      fc.constant(seed.length),
    ),
    { maxLength: 40 },
  ),
).map((a) => Uint8Array.from(a));

/** Whole valid characters mixed in, so that valid input is common too. */
const bytes = fc.array(fc.oneof(utf8ish, fc.string({ unit: 'binary', maxLength: 6 }).map((s) => new Uint8Array(Buffer.from(s)))), { maxLength: 6 }).map(
  (parts) => new Uint8Array(Buffer.concat(parts)),
);

function run(chunker: Utf8Chunker, input: Uint8Array, seed: number): Buffer {
  const out: Uint8Array[] = [];
  for (const chunk of splitRandomly(input, seed)) out.push(...chunker.push(chunk));
  out.push(...chunker.end());
  for (const piece of out) {
    // no piece ends inside a character
    expect(() => fatal.decode(piece)).not.toThrow();
  }
  return Buffer.concat(out);
}

/** Where a byte-by-byte WHATWG decoder first replaces: after the last character it completed. */
function firstReplacement(input: Uint8Array): number {
  const decoder = new TextDecoder('utf-8');
  let boundary = 0;
  for (let k = 0; k < input.length; k++) {
    const text = decoder.decode(input.subarray(k, k + 1), { stream: true });
    if (text.includes('\ufffd')) return boundary;
    if (text !== '') boundary = k + 1;
  }
  return decoder.decode().includes('\ufffd') ? boundary : -1;
}

const hasLiteralReplacement = (input: Uint8Array) => Buffer.from(input).includes(Buffer.from('\ufffd'));

describe('the UTF-8 stage, against TextDecoder', () => {
  test("'error': the input as it is when TextDecoder (fatal) takes it, else ERR_INVALID_UTF8 at the first ill-formed sequence", () => {
    fc.assert(
      fc.property(bytes.filter((b) => !hasLiteralReplacement(b)), fc.integer(), (input, seed) => {
        let valid = true;
        try {
          fatal.decode(input);
        } catch {
          valid = false;
        }
        if (valid) {
          expect(run(new Utf8Chunker('error'), input, seed).equals(input)).toBe(true);
          return;
        }
        const offset = firstReplacement(input);
        expect(() => run(new Utf8Chunker('error'), input, seed)).toThrow(new RegExp(`\\(byte offset ${offset}\\)`));
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  test("'replace': what TextDecoder decodes, U+FFFD for each ill-formed subsequence", () => {
    fc.assert(
      fc.property(bytes, fc.integer(), (input, seed) => {
        expect(run(new Utf8Chunker('replace'), input, seed).toString('utf8')).toBe(replacingAll.decode(input));
      }),
      { seed: 8, numRuns: 3000 },
    );
  });
});

// The invalid UTF-8 files of JSONTestSuite (i_string_*, n_*), written out as bytes.
const INVALID: [name: string, bytes: number[]][] = [
  ['i_string_invalid_utf-8', [0x5b, 0x22, 0xff, 0x22, 0x5d]],
  ['i_string_iso_latin_1', [0x5b, 0x22, 0xe9, 0x22, 0x5d]],
  ['i_string_lone_utf8_continuation_byte', [0x5b, 0x22, 0x81, 0x22, 0x5d]],
  ['i_string_not_in_unicode_range', [0x5b, 0x22, 0xf4, 0xbf, 0xbf, 0xbf, 0x22, 0x5d]],
  ['i_string_overlong_sequence_2_bytes', [0x5b, 0x22, 0xc0, 0xaf, 0x22, 0x5d]],
  ['i_string_overlong_sequence_6_bytes', [0x5b, 0x22, 0xfc, 0x83, 0xbf, 0xbf, 0xbf, 0xbf, 0x22, 0x5d]],
  ['i_string_overlong_sequence_6_bytes_null', [0x5b, 0x22, 0xfc, 0x80, 0x80, 0x80, 0x80, 0x80, 0x22, 0x5d]],
  ['i_string_truncated-utf-8', [0x5b, 0x22, 0xe0, 0xff, 0x22, 0x5d]],
  ['i_string_UTF-8_invalid_sequence', [0x5b, 0x22, 0xe6, 0x97, 0xa5, 0xd1, 0x88, 0xfa, 0x22, 0x5d]],
  ['i_string_UTF8_surrogate_U+D800', [0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]],
  ['n_string_invalid_utf8_after_escape', [0x5b, 0x22, 0x5c, 0xe5, 0x22, 0x5d]],
  ['n_array_invalid_utf8', [0x5b, 0xff, 0x5d]],
  ['n_structure_lone-invalid-utf-8', [0xe5]],
  ['n_structure_incomplete_UTF8_BOM', [0xef, 0xbb, 0x7b, 0x7d]],
  ['a truncated character at the very end', [0x5b, 0x22, 0x61, 0x22, 0x5d, 0x20, 0xe2, 0x82]],
];

describe('invalid UTF-8 in the input', () => {
  test.each(INVALID)('%s is refused with the byte offset of the first ill-formed sequence', async (_name, list) => {
    const input = Uint8Array.from(list);
    const offset = firstReplacement(input);
    for (const [variant, outcome] of Object.entries(await reformatEverywhere(input, {}, list.length))) {
      expect(outcome.ok, variant).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.error, variant).toBeInstanceOf(JSONDumpError);
      expect((outcome.error as JSONDumpError).code, variant).toBe('ERR_INVALID_UTF8');
      expect((outcome.error as Error).message, variant).toMatch(new RegExp(`^the input (is not valid UTF-8|ends inside a UTF-8 sequence) \\(byte offset ${offset}\\) at \\$$`));
    }
  });

  test.each(INVALID)("%s with invalidUTF8: 'replace' is read as TextDecoder reads it", async (_name, list) => {
    const input = Uint8Array.from(list);
    const decoded = replacing.decode(input);
    let expected: string | null = null;
    try {
      expected = stringifyOracle(decoded);
    } catch {
      expected = null; // not JSON even with U+FFFD in place
    }
    const outcomes = await reformatEverywhere(input, { invalidUTF8: 'replace' }, list.length);
    for (const [variant, outcome] of Object.entries(outcomes)) {
      if (expected === null) expect(outcome.ok ? outcome.text : (outcome.error as JSONDumpError).code, variant).toBe('ERR_INVALID_JSON');
      else expect(outcome.ok ? outcome.text : outcome.error, variant).toBe(expected);
    }
  });

  test.each(['["a"]', '["é"]'])('UTF-16 text %s is refused: its NUL bytes are not JSON (and come before the E9 of é)', async (text) => {
    const outcomes = await reformatEverywhere(Buffer.from(text, 'utf16le'));
    for (const outcome of Object.values(outcomes)) expect(outcome.ok ? outcome.text : (outcome.error as JSONDumpError).code).toBe('ERR_INVALID_JSON');
  });

  test('the first error in the input is the one reported, whatever the chunks', async () => {
    for (let seed = 0; seed < 10; seed++) {
      await expect(reformatText(Buffer.from([0x5b, 0x31, 0x2c, 0x5d, 0xff]), {}, seed)).rejects.toThrow(/^invalid JSON: expected a value, found '\]'/);
      await expect(reformatText(Buffer.from([0x5b, 0x31, 0xff, 0x2c, 0x5d]), {}, seed)).rejects.toThrow('the input is not valid UTF-8 (byte offset 2) at $');
    }
  });
});

describe('a byte order mark', () => {
  const BOM = '\ufeff';
  test.each([
    ['a document', '{"a": [1, "é"]}', {}],
    ['JSON Lines', '{"a":1}\n[2]\n', { from: 'jsonl' as const }],
  ])('is skipped at the start of %s, whatever the chunks', async (_name, text, options) => {
    const plain = await reformatText(text, options);
    for (let seed = 0; seed < 8; seed++) expect(await reformatText(BOM + text, options, seed)).toBe(plain);
  });

  test('anywhere else, it is a character that cannot start JSON', async () => {
    await expect(reformatText(' ' + BOM + '{}')).rejects.toThrow("invalid JSON: expected a value, found U+FEFF (line 1, column 2, byte offset 1) at $");
    await expect(reformatText('{}\n' + BOM + '{}', { from: 'jsonl' })).rejects.toThrow("invalid JSON: expected a value, found U+FEFF (line 2, column 1, byte offset 3) at $[1]");
  });
});
