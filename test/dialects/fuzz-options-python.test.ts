// Differential fuzzing against CPython's json.dumps, through every variant of
// helpers/variants.ts: generated values (lists, dicts, Maps with keys of every kind, floats in
// every exponent range, big ints, nasty strings) with every keyword argument at once — indent
// (any integer, any string: line breaks, `$` patterns, lone surrogates…), separators of any
// characters, sort_keys, skipkeys, ensure_ascii, allow_nan, default — in the python dialect,
// and in the 'js' dialect where it agrees with json.dumps (no floats, explicit separators and
// ensure_ascii, no sort_keys). All cases go to one python3 process (helpers/python.ts).
// Seeded and bounded (helpers/fuzz.ts); `npm run fuzz` runs more.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { anyIndent, anyKwargs, anySeparators, jsSafeNode, pyNode } from '../helpers/arbitraries.js';
import { BASE_SEED, describeRun, RUNS_OVERRIDE, sampleParams } from '../helpers/fuzz.js';
import {
  comparable, errorOrderDiffers, expectedCode, optionsFor, runPython, show, toJS, type PyKwargs, type PyNode, type PyResult,
} from '../helpers/python.js';
import { compareVariants, type Expected } from '../helpers/compare-variants.js';
import type { Options } from '../helpers/variants.js';

interface FuzzCase {
  node: PyNode;
  pyNode: PyNode;
  kwargs: PyKwargs;
  options: Options;
}

function makeCase(node: PyNode, kwargs: PyKwargs, dialect: 'python' | 'js'): FuzzCase {
  return { ...comparable(node, kwargs), kwargs, options: { ...optionsFor(kwargs), dialect } as Options };
}

/**
 * Cases of a generated table, without those where the two may rightly raise different errors
 * (errorOrderDiffers).
 */
function table(name: string, runs: number, arb: fc.Arbitrary<FuzzCase>): FuzzCase[] {
  return fc.sample(arb, sampleParams(name, runs)).filter((c) => !errorOrderDiffers(c.node, c.kwargs));
}

const ALL_VARIANTS = 'python: every keyword argument at once, every variant === json.dumps';
const ALL_RUNS = 600;
const QUICK = 'python: every keyword argument at once, dumps and stringifyChunksSync === json.dumps';
const QUICK_RUNS = 6000;
const JS = "js dialect: indent, separators, ensureAscii, skipKeys === json.dumps";
const JS_RUNS = 1200;

const pythonCase = fc.tuple(pyNode, anyKwargs).map(([node, kwargs]) => makeCase(node, kwargs, 'python'));

// The 'js' dialect's defaults differ from Python's: separators and ensure_ascii are always given.
const jsKwargs: fc.Arbitrary<PyKwargs> = fc.record(
  {
    indent: anyIndent,
    separators: anySeparators,
    skipkeys: fc.boolean(),
    ensure_ascii: fc.boolean(),
  },
  { requiredKeys: ['separators', 'ensure_ascii'] },
);
const jsCase = fc.tuple(jsSafeNode, jsKwargs).map(([node, kwargs]) => makeCase(node, kwargs, 'js'));

const tables = {
  all: table(ALL_VARIANTS, ALL_RUNS, pythonCase),
  quick: table(QUICK, QUICK_RUNS, pythonCase),
  js: table(JS, JS_RUNS, jsCase),
};
const results = new Map<FuzzCase, PyResult>();

beforeAll(() => {
  const cases = [...tables.all, ...tables.quick, ...tables.js];
  const out = runPython(cases.map((c) => ({ node: c.pyNode, kwargs: c.kwargs })));
  cases.forEach((c, i) => results.set(c, out[i]!));
});

function expected(c: FuzzCase): Expected {
  const r = results.get(c)!;
  return 'ok' in r ? r.ok : { code: expectedCode(r) };
}

/** Every case of the table through the variants (or dumps and stringifyChunksSync): mismatches described. */
async function mismatches(cases: FuzzCase[], quick: boolean): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, c] of cases.entries()) {
    const cmp = await compareVariants(() => toJS(c.node), expected(c), c.options, {
      async: false,
      chunkSizes: [],
      stats: 'count',
      ...(quick ? { only: ['dumps', 'stringifyChunksSync'] } : {}),
    });
    const wrong = Object.keys(cmp.actual).filter((k) => cmp.actual[k] !== cmp.expected[k]);
    if (wrong.length === 0 && cmp.problems.length === 0) continue;
    const first = wrong[0];
    problems.push(
      `case #${i}: value ${show(c.node).slice(0, 300)} kwargs ${JSON.stringify(c.kwargs)}` +
        (first === undefined ? '' : `\n  ${wrong.join(', ')}\n  expected ${JSON.stringify(cmp.expected[first]).slice(0, 300)}\n  actual   ${JSON.stringify(cmp.actual[first]).slice(0, 300)}`) +
        cmp.problems.map((p) => `\n  ${p}`).join(''),
    );
  }
  return problems;
}

function report(problems: string[]): string {
  return `${problems.length} mismatch(es) (base seed ${BASE_SEED}):\n${problems.slice(0, 5).join('\n')}`;
}

describe(`CPython json.dumps differential fuzzing (base seed ${BASE_SEED})`, () => {
  it('the tables reach successes and every kind of failure', () => {
    const codes = new Set([...results.values()].map((r) => ('ok' in r ? 'ok' : expectedCode(r))));
    expect(codes).toContain('ok');
    expect(codes.size).toBeGreaterThanOrEqual(3);
    // the cases where the two may rightly raise different errors take only a small share
    expect(tables.all.length).toBeGreaterThan((RUNS_OVERRIDE ?? ALL_RUNS) * 0.6);
  });

  it(`${ALL_VARIANTS} (${describeRun(ALL_VARIANTS, ALL_RUNS)})`, async () => {
    const problems = await mismatches(tables.all, false);
    expect(problems.length, report(problems)).toBe(0);
  });

  it(`${QUICK} (${describeRun(QUICK, QUICK_RUNS)})`, async () => {
    const problems = await mismatches(tables.quick, true);
    expect(problems.length, report(problems)).toBe(0);
  });

  it(`${JS} (${describeRun(JS, JS_RUNS)})`, async () => {
    const problems = await mismatches(tables.js, false);
    expect(problems.length, report(problems)).toBe(0);
  });
});
