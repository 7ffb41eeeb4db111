// dumpLines: JSON Lines from arrays, sync generators, async "cursors" and object-mode Readables.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { dumpLines, dumps, JSONDumpError } from '../../src/index.js';
import type { DumpStats } from '../../src/index.js';
import { collector, type Collector, useTempDir } from '../helpers/io.js';
import { tick } from '../helpers/process-events.js';

const tmp = useTempDir('lines');

/** A recording Writable with a small buffer whose writes complete on the next turn. */
const sink = (): Collector => collector({ highWaterMark: 64, delay: 'immediate' });

const RECORDS: unknown[] = [
  { id: 1, name: 'Ada', tags: ['x', 'y'], nested: { é: 'ü', n: null } },
  'a string record',
  42,
  null,
  [1, [2, { three: 3 }]],
  { text: 'line\nbreak\r\nand \u2028 separators', empty: {}, list: [] },
  true,
  { '': 'empty key', emoji: '😀' },
];
const expectedText = (records: unknown[]): string => records.map((r) => JSON.stringify(r) + '\n').join('');

function checkLines(text: string, records: unknown[]): void {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(records.length);
  lines.forEach((line, i) => expect(JSON.parse(line)).toEqual(records[i]));
  expect(text).toBe(expectedText(records));
}

function expectStats(stats: DumpStats, text: string, lines: number): void {
  expect(stats.bytes).toBe(Buffer.byteLength(text));
  expect(stats.items).toBe(lines);
}

/** A database-cursor-like async generator: fetches rows in batches, with awaits in between. */
async function* cursor(total: number, batch: number): AsyncGenerator<{ id: number; name: string; score: number | null }> {
  for (let offset = 0; offset < total; offset += batch) {
    await tick(1);
    const rows = Array.from({ length: Math.min(batch, total - offset) }, (_, i) => ({
      id: offset + i,
      name: `user ${offset + i} ü`,
      score: (offset + i) % 7 ? (offset + i) / 4 : null,
    }));
    for (const row of rows) yield row;
  }
}
const cursorRows = (total: number): unknown[] =>
  Array.from({ length: total }, (_, i) => ({ id: i, name: `user ${i} ü`, score: i % 7 ? i / 4 : null }));

describe('dumpLines sources', () => {
  it('an array, to a Writable', async () => {
    const s = sink();
    const stats = await dumpLines(RECORDS, s.w);
    checkLines(s.text(), RECORDS);
    expectStats(stats, s.text(), RECORDS.length);
    expect(s.w.writableFinished).toBe(true);
  });

  it('an array, to a path', async () => {
    const p = path.join(tmp.dir(), 'out.jsonl');
    const stats = await dumpLines(RECORDS, p);
    const text = fs.readFileSync(p, 'utf8');
    checkLines(text, RECORDS);
    expectStats(stats, text, RECORDS.length);
  });

  it('a sync generator', async () => {
    function* gen(): Generator<unknown> {
      yield* RECORDS;
    }
    const s = sink();
    const stats = await dumpLines(gen(), s.w);
    checkLines(s.text(), RECORDS);
    expectStats(stats, s.text(), RECORDS.length);
  });

  it('an async generator in batches ("database cursor")', async () => {
    const p = path.join(tmp.dir(), 'rows.jsonl');
    const stats = await dumpLines(cursor(2500, 100), p, { chunkSize: 512 });
    const text = fs.readFileSync(p, 'utf8');
    checkLines(text, cursorRows(2500));
    expectStats(stats, text, 2500);
  });

  it('a cursor with a custom async iterator (no generator)', async () => {
    let i = 0;
    let closed = 0;
    const records = {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<unknown>> => {
          await tick();
          return i < 30 ? { value: { i: i++ }, done: false } : { value: undefined, done: true };
        },
        return: async (): Promise<IteratorResult<unknown>> => {
          closed++;
          return { value: undefined, done: true };
        },
      }),
    };
    const s = sink();
    const stats = await dumpLines(records, s.w);
    checkLines(s.text(), Array.from({ length: 30 }, (_, k) => ({ i: k })));
    expect(stats.items).toBe(30);
    expect(closed).toBeLessThanOrEqual(1);
  });

  it('an object-mode Readable', async () => {
    const s = sink();
    const stats = await dumpLines(Readable.from(RECORDS.filter((r) => r !== null)), s.w);
    const recs = RECORDS.filter((r) => r !== null);
    checkLines(s.text(), recs);
    expectStats(stats, s.text(), recs.length);
  });

  it('an object-mode Readable fed over time', async () => {
    const r = new Readable({ objectMode: true, read() {} });
    let n = 0;
    const timer = setInterval(() => {
      if (n < 20) r.push({ n: n++ });
      else {
        clearInterval(timer);
        r.push(null);
      }
    }, 1);
    const s = sink();
    const stats = await dumpLines(r, s.w);
    checkLines(s.text(), Array.from({ length: 20 }, (_, k) => ({ n: k })));
    expect(stats.items).toBe(20);
  });

  it('records holding promises, Maps, Sets, bigints, async iterables', async () => {
    const s = sink();
    const recs = [
      { p: Promise.resolve([1]) },
      new Map<unknown, unknown>([[1, 'one'], ['s', new Set([2n])]]),
      Promise.resolve({ late: true }),
      {
        rows: (async function* () {
          yield 1;
          await tick(2);
          yield 2;
        })(),
      },
    ];
    const stats = await dumpLines(recs, s.w);
    expect(s.text()).toBe('{"p":[1]}\n{"1":"one","s":[2]}\n{"late":true}\n{"rows":[1,2]}\n');
    expect(stats.items).toBe(4);
  });

  it('no records: empty output, items 0, the file exists', async () => {
    const p = path.join(tmp.dir(), 'empty.jsonl');
    const stats = await dumpLines([], p);
    expect(fs.readFileSync(p, 'utf8')).toBe('');
    expect(stats).toEqual({ bytes: 0, values: 0, items: 0 });
    const s = sink();
    await dumpLines((async function* () {})(), s.w);
    expect(s.text()).toBe('');
  });
});

describe('dumpLines options', () => {
  it('indent is refused with ERR_BAD_OPTION', async () => {
    for (const indent of [2, 0, -1, '  ']) {
      const s = sink();
      const err = await dumpLines(RECORDS, s.w, { indent } as never).catch((e: unknown) => e);
      expect(err, String(indent)).toBeInstanceOf(JSONDumpError);
      expect((err as JSONDumpError).code).toBe('ERR_BAD_OPTION');
      expect(s.text()).toBe('');
    }
  });

  it('every line is compact even with indent-like data and separators given', async () => {
    const recs = [{ a: [1, { b: 2 }], c: 'x' }, [[], {}], { s: 'multi\nline' }];
    const s = sink();
    await dumpLines(recs, s.w, { separators: [', ', ': '] });
    const lines = s.text().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(recs.length);
    lines.forEach((line, i) => {
      expect(JSON.parse(line)).toEqual(recs[i]);
      expect(line).toBe(dumps(recs[i], { separators: [', ', ': '] }));
    });
  });

  it('python dialect: each line is json.dumps(record) (the dialect separators, ensure_ascii)', async () => {
    const recs = [{ a: [1, 2], é: 'ü' }, new Map<unknown, unknown>([[1, 1e-7]])];
    const s = sink();
    await dumpLines(recs, s.w, { dialect: 'python', sortKeys: true });
    expect(s.text()).toBe('{"a": [1, 2], "\\u00e9": "\\u00fc"}\n{"1": 1e-07}\n');
  });

  it('chunkSize never changes the text', async () => {
    for (const chunkSize of [1, 7, 100]) {
      const s = sink();
      await dumpLines(RECORDS, s.w, { chunkSize });
      expect(s.text()).toBe(expectedText(RECORDS));
    }
  });

  it('onProgress reports lines as items', async () => {
    const calls: DumpStats[] = [];
    const s = sink();
    const stats = await dumpLines(cursor(300, 50), s.w, { chunkSize: 200, onProgress: (p) => calls.push({ ...p }) });
    expect(stats.items).toBe(300);
    expect(calls.length).toBeGreaterThan(0);
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i].items).toBeGreaterThanOrEqual(calls[i - 1].items);
      expect(calls[i].bytes).toBeGreaterThan(calls[i - 1].bytes);
    }
    expect(calls[calls.length - 1].items).toBeLessThanOrEqual(300);
  });
});

describe('dumpLines errors', () => {
  it('an unserializable record raises ERR_UNSERIALIZABLE; the target path is not created', async () => {
    const p = path.join(tmp.dir(), 'bad.jsonl');
    const err = await dumpLines([{ a: 1 }, undefined, { b: 2 }], p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JSONDumpError);
    expect((err as JSONDumpError).code).toBe('ERR_UNSERIALIZABLE');
    expect(fs.existsSync(p)).toBe(false);
    expect(fs.readdirSync(path.dirname(p))).toEqual([]);
  });

  it('a failing cursor: the original error, no file left', async () => {
    const boom = new Error('connection lost');
    const dir = tmp.dir();
    async function* failing(): AsyncGenerator<unknown> {
      yield* cursor(120, 40);
      throw boom;
    }
    await expect(dumpLines(failing(), path.join(dir, 'x.jsonl'), { chunkSize: 100 })).rejects.toBe(boom);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a record that is not an array or iterable source is refused (rejection, not a throw)', async () => {
    let p: Promise<unknown> | undefined;
    expect(() => {
      p = dumpLines(42 as never, sink().w);
    }).not.toThrow();
    const notRecords = { code: 'ERR_BAD_OPTION', path: '$' };
    await expect(p).rejects.toBeInstanceOf(JSONDumpError);
    await expect(p).rejects.toMatchObject(notRecords);
    await expect(dumpLines({ a: 1 } as never, sink().w)).rejects.toMatchObject(notRecords);
  });
});
