// measure / measureSync: the exact DumpStats the same dump would return, writing nothing.
// Property-based against dump itself (into a Writable, and dumpSync for the sync form), for
// generated values of every kind the library writes and generated options; then the promises
// beyond equality: lazy sources are consumed, memory stays flat, abort and async rules hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dump, dumpSync, measure, measureSync, type DumpOptions, type DumpStats } from '../../src/index.js';
import { describeError } from '../helpers/describe-error.js';
import { gc } from '../helpers/gc.js';
import { collector, useTempDir } from '../helpers/io.js';

const tmp = useTempDir('measure');

const text = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('é😀', '\u2028', '\ud800', '"\\'));
const key = fc.oneof(fc.constantFrom('a', 'b', '0', '10', 'é'), text);
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  text,
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
);

/** A value and a way to make it afresh (generators and Sets are consumed or shared). */
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 5, arbitrary: leaf },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 5 }) },
    { weight: 2, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 5 }) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.oneof(key, fc.integer(), fc.boolean()), tie('value')), { maxLength: 4 }).map((e) => new Map(e)) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }).map((a) => new Set(a)) },
  ),
}));

const options: fc.Arbitrary<DumpOptions> = fc.record(
  {
    indent: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constantFrom('\t', '--')),
    separators: fc.constantFrom<[string, string]>([',', ':'], [', ', ': '], [' ,', ' : ']),
    sortKeys: fc.boolean(),
    ensureAscii: fc.boolean(),
    dialect: fc.constantFrom<'js' | 'python'>('js', 'python'),
    chunkSize: fc.constantFrom(1, 7, 64, 65536),
    allowNaN: fc.boolean(),
    skipKeys: fc.boolean(),
  },
  { requiredKeys: [] },
);

type Outcome = { stats: DumpStats } | { error: string };

async function settle(f: () => Promise<DumpStats> | DumpStats): Promise<Outcome> {
  try {
    return { stats: await f() };
  } catch (err) {
    return { error: describeError(err) };
  }
}

/** Wraps a value so each call walks it afresh: arrays inside become generators of their elements. */
function* lazily(v: unknown[]): Generator<unknown> {
  yield* v;
}

describe('measure equals the stats of the same dump', () => {
  it('measure(v, o) = dump(v, Writable, o), for thousands of generated values and options', async () => {
    await fc.assert(
      fc.asyncProperty(value, options, async (v, o) => {
        const dumped = await settle(() => dump(v, collector().w, o));
        expect(await settle(() => measure(v, o))).toEqual(dumped);
      }),
      { numRuns: 2000 },
    );
  });

  it('measureSync(v, o) = dumpSync(v, path, o)', async () => {
    await fc.assert(
      fc.asyncProperty(value, options, async (v, o) => {
        const dumped = await settle(() => dumpSync(v, tmp.file(), o));
        expect(await settle(() => measureSync(v, o))).toEqual(dumped);
      }),
      { numRuns: 300 },
    );
  });

  it('with async values inside (promises, async generators): measure = dump; measureSync refuses them', async () => {
    const make = () => ({
      rows: (async function* () {
        for (let i = 0; i < 100; i++) yield { i, at: Promise.resolve(new Date(i)) };
      })(),
      total: Promise.resolve(100),
    });
    const dumped = await dump(make(), collector().w, { indent: 1 });
    expect(await measure(make(), { indent: 1 })).toEqual(dumped);
    expect(dumped.items).toBe(0); // the top level is an object: no records
    expect(await settle(() => measureSync(make()))).toEqual({ error: 'ERR_ASYNC_VALUE $.rows' });
  });

  it('a top-level generator: items counts its records', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const dumped = await dump(lazily(rows), collector().w);
    expect(dumped.items).toBe(1000);
    expect(await measure(lazily(rows))).toEqual(dumped);
    expect(measureSync(lazily(rows))).toEqual(dumped);
  });
});

describe('what measure does not do, and what it does', () => {
  it('consumes a lazy source: a generator measured is empty for the dump after', async () => {
    const gen = lazily([1, 2, 3]);
    expect(await measure(gen)).toEqual({ bytes: 7, values: 4, items: 3 });
    const c = collector();
    await dump(gen, c.w);
    expect(c.text()).toBe('[]');
  });

  it('end and atomic are accepted (the options of the dump it stands for) and change nothing', async () => {
    expect(await measure({ a: 1 }, { end: false, atomic: false })).toEqual({ bytes: 7, values: 2, items: 0 });
    expect(measureSync({ a: 1 }, { end: true, atomic: true })).toEqual({ bytes: 7, values: 2, items: 0 });
  });

  it('counts UTF-8 bytes: é is 2, 😀 is 4', async () => {
    expect(await measure(['é😀'])).toEqual({ bytes: 10, values: 2, items: 1 });
    expect(measureSync('é😀', { ensureAscii: true })).toEqual({ bytes: 20, values: 1, items: 0 });
  });

  it('onProgress as a dump reports it; an abort stops it with ERR_ABORTED', async () => {
    const calls: DumpStats[] = [];
    const rows = Array.from({ length: 3000 }, (_, i) => ({ i, s: 'x'.repeat(20) }));
    const stats = await measure(rows, { chunkSize: 1000, onProgress: (p) => calls.push({ ...p }) });
    expect(calls.length).toBeGreaterThan(50);
    expect(calls.at(-1)!.bytes).toBeLessThanOrEqual(stats.bytes);
    const ac = new AbortController();
    const err = await settle(() => measure(rows, { chunkSize: 1000, signal: ac.signal, onProgress: (p) => p.bytes > 5000 && ac.abort() }));
    expect('error' in err && err.error).toMatch(/^ERR_ABORTED \$/);
  });

  it('errors as the dump raises them', async () => {
    const cyc: Record<string, unknown> = { a: [] };
    (cyc.a as unknown[]).push(cyc);
    expect(await settle(() => measure(cyc))).toEqual({ error: 'ERR_CIRCULAR $.a[0]' });
    expect(await settle(() => measureSync({ n: NaN }, { allowNaN: false }))).toEqual({ error: 'ERR_NON_FINITE $.n' });
  });
});

describe('flat memory', () => {
  it('measuring 1,000,000 generated records (about 60 MB of text) keeps the heap flat', async () => {
    function* records(): Generator<unknown> {
      for (let i = 0; i < 1_000_000; i++) yield { id: i, name: `user ${i}`, tags: ['a', 'b'], score: i / 7 };
    }
    gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let chunks = 0;
    const stats = await measure(records(), {
      onProgress: () => {
        if (++chunks % 100 === 0) {
          gc?.();
          peak = Math.max(peak, process.memoryUsage().heapUsed - before);
        }
      },
    });
    expect(stats.items).toBe(1_000_000);
    expect(stats.bytes).toBeGreaterThan(50e6);
    expect(chunks).toBeGreaterThan(500);
    // with GC before each sample: what measure retains, far below the text's size
    expect(peak).toBeLessThan((gc ? 24 : 64) * 2 ** 20);
  });
});
