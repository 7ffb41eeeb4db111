// A replacer, toJSON, `default` or `circular` function that keeps making deeper values has no
// end: JSON.stringify stops it with a catchable RangeError (its stack runs out near 4,000
// levels); jsondump, which walks without recursion, ran until the heap ran out (a fatal abort,
// nothing to catch) or, for `circular`, for hours. Without `maxDepth`, containers made by those
// functions may nest 100,000 levels deep (docs/API.md, maxDepth): past that, ERR_LIMIT at the
// path, soon, through the sync and the async walks. Depth found in the value itself is not
// counted (a 1,000,000-deep array still serializes), and any `maxDepth` replaces the limit.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dump, dumps, JSONDumpError, stringifyChunks } from '../../src/index.js';
import type { DumpOptions } from '../../src/index.js';

const MADE_DEPTH = 100_000;
/** Generous for a busy machine: the fixed walk takes about a second here. */
const RUNAWAY_MS = 30_000;

class Turtle {
  toJSON() {
    return { down: new Turtle() };
  }
}
class Opaque {}

/** Runaways: a value, the options that make it endless, and the path segment each made level adds. */
const RUNAWAYS: Record<string, { value: () => unknown; options: DumpOptions; segment: string; stringify?: () => unknown }> = {
  'a replacer that wraps every value': {
    value: () => ({}),
    options: { replacer: (_k: string, v: unknown) => ({ v }) },
    segment: '.v',
    stringify: () => JSON.stringify({}, (_k, v: unknown) => ({ v })),
  },
  'a toJSON that returns a new object holding another': {
    value: () => new Turtle(),
    options: {},
    segment: '.down',
    stringify: () => JSON.stringify(new Turtle()),
  },
  'a circular function that returns a new object holding the repeated one': {
    value: () => {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    },
    options: { circular: (_path: string, value: object) => ({ again: value }) },
    segment: '.again',
  },
  'a default that returns a new object holding another value it must be called for': {
    value: () => new Opaque(),
    options: { dialect: 'python', default: () => ({ inner: new Opaque() }) },
    segment: '.inner',
  },
};

async function sinkDump(value: unknown, options: DumpOptions): Promise<unknown> {
  return dump(value, new Writable({ write: (_c, _e, cb) => cb() }), options);
}

async function chunks(value: unknown, options: DumpOptions): Promise<unknown> {
  for await (const _ of stringifyChunks(value, options));
  return null;
}

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return null;
  } catch (e) {
    return e;
  }
}

describe('without maxDepth, made values stop at 100,000 levels with ERR_LIMIT', () => {
  for (const [name, r] of Object.entries(RUNAWAYS)) {
    it(
      name,
      async () => {
        // JSON.stringify's own answer: a RangeError, which a caller can catch.
        if (r.stringify !== undefined) expect(r.stringify).toThrow(RangeError);
        for (const run of [() => dumps(r.value(), r.options), () => sinkDump(r.value(), r.options), () => chunks(r.value(), r.options)]) {
          const start = performance.now();
          const e = await failure(run);
          expect(e).toBeInstanceOf(JSONDumpError);
          const { code, path, message } = e as JSONDumpError;
          expect(code).toBe('ERR_LIMIT');
          expect(message).toContain('maxDepth');
          // The first made container past the limit: 100,000 of them are open above it.
          expect(path.endsWith(r.segment.repeat(1000))).toBe(true);
          expect(path.split(r.segment).length - 1).toBeGreaterThanOrEqual(MADE_DEPTH - 1);
          expect(path.split(r.segment).length - 1).toBeLessThanOrEqual(MADE_DEPTH + 1);
          expect(performance.now() - start).toBeLessThan(RUNAWAY_MS);
        }
      },
      4 * RUNAWAY_MS,
    );
  }

  it('a maxDepth replaces the limit: given, made values go as deep as it says', () => {
    const r = RUNAWAYS['a replacer that wraps every value'];
    expect(() => dumps({}, { ...r.options, maxDepth: 10 })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT', path: '$' + '.v'.repeat(11) }));
    // A made chain longer than the default limit, with a maxDepth that allows it.
    const n = MADE_DEPTH + 10;
    const replacer = (_k: string, v: unknown) => (typeof v === 'number' && v > 0 ? { next: v - 1 } : v);
    const want = '{"next":'.repeat(n) + '0' + '}'.repeat(n);
    expect(dumps(n, { replacer, maxDepth: n })).toBe(want);
    expect(dumps(n, { replacer, maxDepth: Infinity })).toBe(want);
    expect(() => dumps(n, { replacer })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT' }));
  });

  it('made values within the limit are written: a toJSON chain 50,000 deep (JSON.stringify gives up near 4,000)', () => {
    class Link {
      constructor(readonly n: number) {}
      toJSON() {
        return this.n === 0 ? null : { next: new Link(this.n - 1) };
      }
    }
    expect(() => JSON.stringify(new Link(50_000))).toThrow(RangeError);
    expect(dumps(new Link(50_000))).toBe('{"next":'.repeat(50_000) + 'null' + '}'.repeat(50_000));
  });

  it('depth found in the value is not counted: a 1,000,000-deep array through a replacer that keeps values as they are', () => {
    // (Without a replacer, traps.test.ts's "any depth".)
    let v: unknown = [];
    for (let i = 0; i < 1_000_000; i++) v = [v];
    expect(dumps(v, { replacer: (_k: string, x: unknown) => x })).toBe('['.repeat(1_000_001) + ']'.repeat(1_000_001));
  });
});
