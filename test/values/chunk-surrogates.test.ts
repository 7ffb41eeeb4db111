// Chunks never split a surrogate pair (API.md), also when a lone high surrogate comes right
// before the pair: today the chunker keeps the lone one and the pair's high half together and
// cuts before the low half, and every byte destination then writes the valid character as two
// U+FFFD. A lone surrogate reaches the output raw through rawJSON text (JSON.parse accepts it),
// an indent or a separator.
// Found by test/dialects/fuzz-options-js.test.ts ("every option at once", JSONDUMP_FUZZ_SEED=21,
// 2000 runs: separators ["\ud800😀,", …], chunkSize 1).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumps, dumpSync, rawJSON, stringifyChunksSync } from '../../src/index.js';

const LONE_THEN_PAIR = '\ud800😀'; // a lone high surrogate, then U+1F600 as its pair

const cases: [string, () => unknown, Record<string, unknown>][] = [
  ['rawJSON text', () => [rawJSON(`"${LONE_THEN_PAIR}"`)], {}],
  ['a separator', () => [1, 2, 3], { separators: [`${LONE_THEN_PAIR},`, ':'] }],
  ['an indent', () => [[1]], { indent: LONE_THEN_PAIR }],
];

const splitsPair = (chunks: string[]): number =>
  chunks.findIndex((c, i) => i + 1 < chunks.length && /[\ud800-\udbff]$/.test(c) && /^[\udc00-\udfff]/.test(chunks[i + 1]!));

describe('a lone high surrogate before a surrogate pair', () => {
  for (const [what, value, o] of cases) {
    for (const chunkSize of [1]) {
      it(`${what}, chunkSize ${chunkSize}: no chunk boundary inside the pair`, () => {
        const chunks = [...stringifyChunksSync(value(), { ...o, chunkSize })];
        expect(chunks.join('')).toBe(dumps(value(), o));
        expect(splitsPair(chunks), JSON.stringify(chunks)).toBe(-1);
      });
    }
    it(`${what}: dumpSync writes the UTF-8 of dumps' text (the lone surrogate as U+FFFD, the pair as its character)`, () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jsondump-pair-')), 'out.json');
      try {
        dumpSync(value(), file, { ...o, chunkSize: 1 });
        expect(fs.readFileSync(file).equals(Buffer.from(dumps(value(), o)))).toBe(true);
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
    });
  }
});
