// bigint: 'number' (the default) writes a bigint's digits as a JSON number; 'string' writes them as
// a JSON string, for consumers that parse numbers into doubles. Map keys are strings either way.
// Oracles: JSON.stringify with the bigint written by String(), and JSON.parse back to BigInt.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dumps, rawJSON } from '../../src/index.js';
import { expectEveryApi } from '../helpers/every-api.js';

/** JSON.stringify with bigints (and BigInt boxes, which it unboxes) as their digits in a string. */
const asStrings = (v: unknown, indent?: number): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' || x instanceof BigInt ? String(x) : x), indent);

const value = () => ({ big: 2n ** 64n, neg: -(2n ** 70n) + 1n, small: [0n, 7n], boxed: Object(-3n) as object, n: 1.5 });

describe("bigint: 'string'", () => {
  it('through every API, a bigint is a JSON string of its digits; numbers stay numbers', async () => {
    await expectEveryApi(value, asStrings(value()), { bigint: 'string' });
    await expectEveryApi(value, asStrings(value(), 2), { bigint: 'string', indent: 2 });
    expect(asStrings(value())).toBe('{"big":"18446744073709551616","neg":"-1180591620717411303423","small":["0","7"],"boxed":"-3","n":1.5}');
  });

  it("'number' (the default) writes the digits as a number", async () => {
    const digits = '{"big":18446744073709551616,"neg":-1180591620717411303423,"small":[0,7],"boxed":-3,"n":1.5}';
    await expectEveryApi(value, digits);
    await expectEveryApi(value, digits, { bigint: 'number' });
  });

  it('Map keys that are bigints are written as their digits, as every key is a string', () => {
    const m = new Map<unknown, unknown>([[10n ** 20n, 1n]]);
    expect(dumps(m, { bigint: 'string' })).toBe('{"100000000000000000000":"1"}');
    expect(dumps(m)).toBe('{"100000000000000000000":1}');
  });

  it('a toJSON on the bigint still comes first, as JSON.stringify calls it', () => {
    const v = [Object.assign(Object(5n) as object, { toJSON: () => 'mine' })];
    expect(dumps(v, { bigint: 'string' })).toBe('["mine"]');
  });

  it('property: every bigint reads back exactly with JSON.parse and BigInt()', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt()), (list) => {
        const parsed = JSON.parse(dumps(list, { bigint: 'string' })) as string[];
        expect(parsed.map((s) => BigInt(s))).toEqual(list);
      }),
    );
  });

  it("the python dialect: what json.dumps writes for str(n)", () => {
    const v = { a: 2n ** 80n, b: [1n, rawJSON('2')] };
    const py = spawnSync('python3', ['-c', 'import json; print(json.dumps({"a": str(2**80), "b": [str(1), 2]}), end="")'], { encoding: 'utf8' });
    expect(py.status).toBe(0);
    expect(dumps(v, { dialect: 'python', bigint: 'string' })).toBe(py.stdout);
  });
});

describe('the option', () => {
  it("takes 'number' or 'string'; anything else is ERR_BAD_OPTION", () => {
    for (const bad of ['str', true, 1]) {
      expect(() => dumps(1n, { bigint: bad as never })).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION', message: "option bigint must be 'number' or 'string' at $" }));
    }
  });
});
