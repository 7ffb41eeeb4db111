// An unknown option name is refused with ERR_BAD_OPTION before anything is written, and when
// it is a known option spelled another way — JSON.stringify's `space`, Python's snake_case, a
// different case — the message names the option meant.
import { describe, expect, it } from 'vitest';
import { dumpLines, encodeTokens, JSONDumpError } from '../../src/index.js';
import { allVariantsSettled, describeError } from '../helpers/variants.js';

const HINTS: [Record<string, unknown>, string][] = [
  [{ space: 2 }, 'indent'],
  [{ spaces: 2 }, 'indent'],
  [{ sort_keys: true }, 'sortKeys'],
  [{ allow_nan: true }, 'allowNaN'],
  [{ ensure_ascii: true }, 'ensureAscii'],
  [{ sortkeys: true }, 'sortKeys'],
  [{ ChunkSize: 10 }, 'chunkSize'],
  [{ separator: [',', ':'] }, 'separators'],
];

describe('unknown option names get a hint', () => {
  for (const [options, meant] of HINTS) {
    const name = Object.keys(options)[0];
    it(`${name} → did you mean ${meant}?`, async () => {
      const message = `unknown option ${name} (did you mean ${meant}?) at $`;
      const settled = await allVariantsSettled({ a: 1 }, options as never);
      for (const [variant, r] of Object.entries(settled)) {
        expect(r.ok, variant).toBe(false);
        if (r.ok) continue;
        expect(r.error, `${variant}: ${describeError(r.error)}`).toBeInstanceOf(JSONDumpError);
        expect((r.error as JSONDumpError).code).toBe('ERR_BAD_OPTION');
        expect((r.error as Error).message, variant).toBe(message);
      }
      expect(() => encodeTokens(options as never)).toThrow(message);
      await expect(dumpLines([1], process.stdout, options as never)).rejects.toThrow(message);
    });
  }

  it('a name that resembles none gets no hint', async () => {
    const settled = await allVariantsSettled({ a: 1 }, { bogus: 1 } as never, { only: ['dumps', 'stringifyChunks'] });
    for (const r of Object.values(settled)) expect(r.ok ? 'ok' : (r.error as Error).message).toBe('unknown option bogus at $');
  });
});
