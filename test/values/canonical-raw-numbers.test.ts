// RFC 8785 numbers are IEEE doubles. A rawJSON fragment's number whose decimal value no double
// holds (more digits than a double keeps, an integer past 2^53 that is not a double) has no
// canonical text: writing the nearest double would change the number without a word, as a
// bigint past 2^53 would, and canonical refuses those. A number a double holds, whatever its
// spelling (1.50, 1E2, -0.0), is written as RFC 8785 writes that double.
// The oracle of "a double holds it" is CPython's decimal module: Decimal(text) equals the
// Decimal of the shortest repr of float(text).
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumps, JSONDumpError, RawJSON } from '../../src/index.js';

const ORACLE = `
import sys, json
from decimal import Decimal
for t in json.load(sys.stdin):
    f = float(t)
    print('exact' if Decimal(t) == Decimal(repr(f)) else 'inexact')
`;

function pythonVerdicts(texts: string[]): string[] {
  return execFileSync('python3', ['-c', ORACLE], { input: JSON.stringify(texts), encoding: 'utf8' }).trim().split('\n');
}

function canonical(text: string): { text: string } | { refused: string } {
  try {
    return { text: dumps(new RawJSON(`[${text}]`), { canonical: true }) };
  } catch (error) {
    if (error instanceof JSONDumpError && error.code === 'ERR_UNSERIALIZABLE') return { refused: error.message };
    throw error;
  }
}

const decimalText = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^(0|[1-9][0-9]{0,24})$/),
    fc.option(fc.stringMatching(/^[0-9]{1,25}$/), { nil: undefined }),
    fc.option(fc.integer({ min: -330, max: 310 }), { nil: undefined }),
  )
  .map(([negative, int, frac, exp]) => `${negative ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : `e${exp}`}`)
  .filter((t) => Number.isFinite(Number(t)));

describe('canonical numbers of rawJSON fragments', () => {
  it('are refused exactly when no double holds their decimal value (CPython decimal as the oracle)', () => {
    const texts = fc.sample(decimalText, { numRuns: 3000, seed: 8785 });
    texts.push('0.1', '1.50', '1E2', '-0.0', '12345678901234567890', '9007199254740993', '9007199254740992', '0.10000000000000000000001', '5e-324', '1e-400', '2.5e-324');
    const verdicts = pythonVerdicts(texts);
    let refusals = 0;
    texts.forEach((text, i) => {
      const got = canonical(text);
      if (verdicts[i] === 'exact') {
        expect(got, text).toEqual({ text: JSON.stringify([JSON.parse(text)]) });
      } else {
        refusals++;
        expect(got, text).toEqual({ refused: `${text} has no exact RFC 8785 (canonical) number: the nearest double is ${JSON.parse(text)} at $` });
      }
    });
    // the sample holds both kinds
    expect(refusals).toBeGreaterThan(100);
    expect(texts.length - refusals).toBeGreaterThan(100);
  });

  it('are checked inside nested fragments, not inside strings', () => {
    expect(canonical('{"b": {"x": [1, "0.10000000000000000000001"]}, "a": 2.50}')).toEqual({ text: '[{"a":2.5,"b":{"x":[1,"0.10000000000000000000001"]}}]' });
    expect(canonical('{"b": {"x": [1, 0.10000000000000000000001]}}')).toMatchObject({ refused: expect.stringMatching(/^0\.10000000000000000000001 has no exact/) });
  });
});
