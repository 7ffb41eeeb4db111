// Every case of the shared table (helpers/cases.ts) through every output variant
// (helpers/variants.ts) at several chunk sizes (the path variants at the default one: see
// VariantDef.chunkRuns): all variants must produce the oracle's text, chunking must never change
// the text nor split a surrogate pair.

import { beforeAll, describe, expect, it } from 'vitest';
import { CASES, type Case } from '../helpers/cases.js';
import { runPython, type PyResult } from '../helpers/python.js';
import {
  allVariantsSettled,
  describeError,
  endsWithHighSurrogate,
  startsWithLowSurrogate,
  CHUNKED_VARIANTS,
  SYNC_VARIANTS,
  throughUTF8,
  VARIANT_NAMES,
  type Options,
  type Variant,
} from '../helpers/variants.js';
import { statsDisagreement } from '../helpers/compare-variants.js';

const CHUNK_SIZES = [undefined, 1, 7, 64] as const;

const pythonResults = new Map<Case, PyResult>();
const ranByCase = new Map<string, Set<string>>();

beforeAll(() => {
  const pyCases = CASES.filter((c) => 'python' in c.oracle);
  const results = runPython(pyCases.map((c) => ('python' in c.oracle ? c.oracle.python : null)!));
  pyCases.forEach((c, i) => pythonResults.set(c, results[i]!));
});

function expectedText(c: Case): string {
  if ('js' in c.oracle) {
    const text = c.oracle.js();
    if (typeof text !== 'string') throw new Error(`oracle of ${c.name} gave no text`);
    return text;
  }
  const r = pythonResults.get(c);
  if (r === undefined) throw new Error(`no python result for ${c.name}`);
  if (!('ok' in r)) throw new Error(`python raised ${r.err}: ${r.msg} for ${c.name}`);
  return r.ok;
}

describe('shared cases: every variant, every chunk size, equals the oracle', () => {
  it('the table has uniquely named cases', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const expected = expectedText(c);
      const problems: string[] = [];
      const ran: string[] = [];
      for (const chunkSize of CHUNK_SIZES) {
        const options = (chunkSize === undefined ? { ...c.options } : { ...c.options, chunkSize }) as Options;
        const label = `chunkSize ${chunkSize ?? 'default'}`;
        const chunks = new Map<Variant, (string | Buffer)[]>();
        const skipped: Variant[] = [];
        const only = chunkSize === undefined ? VARIANT_NAMES : CHUNKED_VARIANTS;
        const settled = await allVariantsSettled(c.value, options, {
          async: c.async ?? false,
          only,
          oracle: expected,
          onSkip: (variant) => skipped.push(variant),
          onChunk: (variant, chunk) => {
            let list = chunks.get(variant);
            if (list === undefined) chunks.set(variant, (list = []));
            list.push(chunk);
          },
        });
        const expectedVariants = only.filter((v) => !(c.async && SYNC_VARIANTS.has(v)));
        expect([...Object.keys(settled), ...skipped].sort()).toEqual([...expectedVariants].sort());
        problems.push(...statsDisagreement(settled, ` ${label}`));
        // Only dumpLines (records sources) and encodeTokens (JSON texts) apply to some values only.
        expect(skipped.filter((v) => v !== 'dumpLines' && v !== 'encodeTokens')).toEqual([]);
        ran.push(...Object.keys(settled));

        for (const variant of Object.keys(settled)) {
          const r = settled[variant]!;
          problems.push(...(r.problems ?? []).map((p) => `${label} ${variant}: ${p}`));
          if (!r.ok) {
            problems.push(`${label} ${variant}: failed with ${describeError(r.error)}`);
            continue;
          }
          const want = r.encoded ? throughUTF8(expected) : expected;
          if (r.text !== null && r.text !== want) {
            problems.push(`${label} ${variant}: text differs\n  expected ${JSON.stringify(want.slice(0, 300))}\n  actual   ${JSON.stringify(r.text.slice(0, 300))}`);
          }
          const written = r.written ?? r.text ?? expected;
          if (r.stats !== undefined && r.stats.bytes !== Buffer.byteLength(written, 'utf8')) {
            problems.push(`${label} ${variant}: stats.bytes ${r.stats.bytes}, expected ${Buffer.byteLength(written, 'utf8')}`);
          }
          // Chunks never split a surrogate pair (checked on every string chunk of every variant).
          for (const chunk of chunks.get(variant) ?? []) {
            if (typeof chunk !== 'string') continue;
            if (endsWithHighSurrogate(chunk) || startsWithLowSurrogate(chunk)) {
              problems.push(`${label} ${variant}: a chunk splits a surrogate pair: ${JSON.stringify(chunk.slice(-20))}`);
              break;
            }
          }
        }

        // The chunks of stringifyChunksSync / stringifyChunks: every one a string, they really are
        // cut at about chunkSize (a long text in chunks of 64 characters is not one chunk).
        for (const variant of ['stringifyChunksSync', 'stringifyChunks'] as const) {
          const list = chunks.get(variant);
          if (list === undefined) continue;
          if (!list.every((x) => typeof x === 'string')) problems.push(`${label} ${variant}: yielded a non-string`);
          if (chunkSize === 64 && expected.length >= 64 * 8 && list.length < 2) {
            problems.push(`${label} ${variant}: ${expected.length} characters in ${list.length} chunk(s)`);
          }
        }
      }
      expect(problems.length, `${problems.length} problem(s):\n${problems.slice(0, 6).join('\n')}`).toBe(0);
      ranByCase.set(c.name, new Set(ran));
    });
  }

  it('dumpLines and encodeTokens ran for many cases (after the cases above)', () => {
    const count = (v: Variant): number => [...ranByCase.values()].filter((s) => s.has(v)).length;
    expect(ranByCase.size).toBe(CASES.length);
    expect(count('dumpLines')).toBeGreaterThanOrEqual(15);
    expect(count('encodeTokens')).toBeGreaterThanOrEqual(30);
  });
});
