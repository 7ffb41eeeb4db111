// Differential tests of the re-encoder on random documents (random white space, every spelling
// of every character, numbers in every form) and random options, through every variant, against
// JSON.stringify(JSON.parse(x)) and CPython's json.dumps(json.loads(x)). Seeded and bounded;
// REFORMAT_FUZZ_RUNS=N runs longer.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ReformatOptions } from '../../src/index.js';
import { document, jsonLines, text } from '../helpers/json-text.js';
import {
  escapeHTMLChars,
  escapeLineTerminatorChars,
  escapeNonAscii,
  pythonOracle,
  reformatText,
  stringifyOracle,
  type PythonDumpsArgs,
} from '../helpers/reformat.js';

const RUNS = Number(process.env.REFORMAT_FUZZ_RUNS ?? 150);
const SEED = 20240917;

/** Indents JSON.stringify takes as they are: 1 to 10 spaces, or a string of 1 to 10 characters. */
const stringifyIndent = fc.option(fc.oneof(fc.integer({ min: 1, max: 10 }), fc.string({ minLength: 1, maxLength: 10 })), { nil: undefined });

/** The same, without the characters the escape options change (they apply in strings only, and the oracle's post-passes apply everywhere). */
const plainIndent = stringifyIndent.filter((indent) => typeof indent !== 'string' || /^[^<>&\u007f-\uffff]*$/.test(indent));

const escapes = fc.record({ ensureAscii: fc.boolean(), escapeHTML: fc.boolean(), escapeLineTerminators: fc.boolean() });

function withEscapes(json: string, o: { ensureAscii: boolean; escapeHTML: boolean; escapeLineTerminators: boolean }): string {
  let out = o.escapeHTML ? escapeHTMLChars(json) : json;
  if (o.escapeLineTerminators) out = escapeLineTerminatorChars(out);
  return o.ensureAscii ? escapeNonAscii(out) : out;
}

describe('js dialect: JSON.stringify(JSON.parse(x), null, indent), numbers as written', () => {
  test('documents', async () => {
    await fc.assert(
      fc.asyncProperty(document, plainIndent, escapes, fc.integer(), async (doc, indent, esc, seed) => {
        const expected = withEscapes(stringifyOracle(doc.text, indent), esc);
        expect(await reformatText(doc.text, { indent, ...esc }, seed)).toBe(expected);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test('lines: each element of the top-level array compact on its own line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(document, { maxLength: 5 }), fc.integer(), async (docs, seed) => {
        const input = '[' + docs.map((d) => d.text).join(',') + ']';
        const expected = docs.map((d) => stringifyOracle(d.text) + '\n').join('');
        expect(await reformatText(input, { lines: true }, seed)).toBe(expected);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test('JSON Lines in: an array of the records', async () => {
    await fc.assert(
      fc.asyncProperty(jsonLines, stringifyIndent, fc.integer(), async (input, indent, seed) => {
        const expected = stringifyOracle('[' + input.records.join(',') + ']', indent);
        expect(await reformatText(input.text, { from: 'jsonl', indent }, seed)).toBe(expected);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test('JSON Lines in, lines out: the records, compact', async () => {
    await fc.assert(
      fc.asyncProperty(jsonLines, fc.integer(), async (input, seed) => {
        const expected = input.records.map((r) => stringifyOracle(r) + '\n').join('');
        expect(await reformatText(input.text, { from: 'jsonl', lines: true }, seed)).toBe(expected);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// Indents and separators are written as UTF-8 like every output: a lone surrogate in them has no
// UTF-8 form (Python leaves it in its str), so they hold none here.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const layoutText = text.filter((s) => !LONE_SURROGATE.test(s));

describe('any layout: CPython json.dumps(json.loads(x), indent=…, separators=…, ensure_ascii=…)', () => {
  const layout = fc.record({
    dialect: fc.constantFrom('js', 'python'),
    indent: fc.option(fc.oneof(fc.integer({ min: -2, max: 12 }), layoutText), { nil: undefined }),
    separators: fc.option(fc.tuple(layoutText, layoutText), { nil: undefined }),
    ensureAscii: fc.option(fc.boolean(), { nil: undefined }),
  });
  const cases = fc.sample(fc.tuple(document, layout), { seed: SEED, numRuns: RUNS });
  const args = (o: (typeof cases)[number][1]): PythonDumpsArgs => {
    const python = o.dialect === 'python';
    const separators = o.separators ?? (python || o.indent !== undefined ? undefined : [',', ':']);
    return {
      indent: o.indent ?? null,
      ...(separators === undefined ? {} : { separators }),
      ensure_ascii: o.ensureAscii ?? python,
    };
  };
  const expected = pythonOracle(cases.map(([doc, o]) => ({ text: doc.text, args: args(o) })));

  test.each(cases.map((c, i) => [i, c] as const))('case %i', async (i, [doc, o]) => {
    const options: ReformatOptions = { dialect: o.dialect as 'js' | 'python', indent: o.indent, separators: o.separators, ensureAscii: o.ensureAscii };
    const python = expected[i];
    if (!('ok' in python)) throw new Error(`CPython refused ${JSON.stringify(doc.text)}: ${python.err}`);
    expect(await reformatText(doc.text, options, i)).toBe(python.ok);
  });
});
