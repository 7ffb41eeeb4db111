// Streaming at scale: 1,000,000 lazily produced records (sync and async generators) dumped to a
// file and to a slow Writable, and written as JSON Lines. Each output is checked against an
// oracle (the SHA-256 of the JSON.stringify text, computed record by record), the files are
// parsed back as a stream with stream-json and every record is counted and checked, the heap
// growth is measured (after a forced GC, so it measures what is retained), and the slow sink's
// buffer is checked at every write (backpressure). Nothing here is timed.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream, rmSync, statSync } from 'node:fs';
import { Writable } from 'node:stream';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import jsonlParser from 'stream-json/jsonl/parser.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { dump, dumpLines } from '../../src/index.js';
import { gc } from '../helpers/gc.js';
import { useTempDir } from '../helpers/io.js';

const N = 1_000_000;
const CITIES = ['Zürich', '東京', 'São Paulo 😀', 'plain'];

interface Row {
  id: number;
  name: string;
  city: string;
  ok: boolean;
}

function row(i: number): Row {
  return { id: i, name: `user ${i}`, city: CITIES[i % CITIES.length]!, ok: i % 3 === 0 };
}

function* syncRows(n: number): Generator<Row> {
  for (let i = 0; i < n; i++) yield row(i);
}

async function* asyncRows(n: number): AsyncGenerator<Row> {
  for (let i = 0; i < n; i++) {
    if (i % 5000 === 0) await new Promise((r) => setImmediate(r));
    yield row(i);
  }
}

// ---- oracles ------------------------------------------------------------------------------

/** SHA-256 and UTF-8 length of JSON.stringify([row(0), …, row(n-1)]), built row by row. */
function expectedArray(n: number): { sha: string; bytes: number } {
  const h = createHash('sha256');
  let bytes = 2;
  h.update('[');
  for (let i = 0; i < n; i++) {
    const s = (i === 0 ? '' : ',') + JSON.stringify(row(i));
    h.update(s);
    bytes += Buffer.byteLength(s);
  }
  h.update(']');
  return { sha: h.digest('hex'), bytes };
}

/** The same for JSON Lines: JSON.stringify(row) + "\n" per row. */
function expectedLines(n: number): { sha: string; bytes: number } {
  const h = createHash('sha256');
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const s = JSON.stringify(row(i)) + '\n';
    h.update(s);
    bytes += Buffer.byteLength(s);
  }
  return { sha: h.digest('hex'), bytes };
}

async function fileSha(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Parses a JSON array file as a stream; checks every record; returns the count. */
function countArray(path: string): Promise<number> {
  return countWith(path, [parser({ streamValues: false }), streamArray()]);
}

function countLines(path: string): Promise<number> {
  return countWith(path, [jsonlParser()]);
}

function countWith(path: string, stages: unknown[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    let bad: string | null = null;
    const pipeline = chain([createReadStream(path), ...stages] as never);
    pipeline.on('data', ({ key, value }: { key: number; value: Row }) => {
      if (bad === null && (key !== n || JSON.stringify(value) !== JSON.stringify(row(n)))) {
        bad = `record ${n} (key ${key}): ${JSON.stringify(value)}`;
      }
      n++;
    });
    pipeline.on('error', reject);
    pipeline.on('end', () => (bad === null ? resolve(n) : reject(new Error(`unexpected ${bad}`))));
  });
}

// ---- heap ---------------------------------------------------------------------------------


/**
 * Samples heapUsed (after a full GC when available) every 100 ms while a dump runs, so the
 * figure is what the dump retains, not garbage waiting to be collected. (A dump of the million
 * rows to a file can take less than a second.)
 */
class HeapWatch {
  readonly baseline: number;
  max = 0;
  samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    gc?.();
    this.baseline = process.memoryUsage().heapUsed;
    this.timer = setInterval(() => this.sample(), 100);
  }

  sample(): void {
    gc?.();
    this.max = Math.max(this.max, process.memoryUsage().heapUsed);
    this.samples++;
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.max - this.baseline;
  }
}

// With GC before each sample, the retained growth must stay far below the output's size (about
// 55 MB of text, and 1,000,000 records would take well over 100 MB of heap); without GC, a
// generous bound that still fails if the text or the records are kept.
const HEAP_BOUND = gc ? 24 * 2 ** 20 : 64 * 2 ** 20;

/** The heap was sampled while dumping and did not grow beyond HEAP_BOUND. */
function expectFlatHeap(watch: HeapWatch, growth: number): void {
  expect(watch.samples).toBeGreaterThan(3);
  expect(growth, `heap grew by ${(growth / 2 ** 20).toFixed(1)} MB (gc: ${gc !== null})`).toBeLessThan(HEAP_BOUND);
}

// ---- slow sink ----------------------------------------------------------------------------

const HIGH_WATER_MARK = 16 * 1024;
const CHUNK_SIZE = 4096;
/** A few chunks: the high-water mark plus two chunks of CHUNK_SIZE characters of up to 3 bytes. */
const MAX_BUFFERED = HIGH_WATER_MARK + 2 * 3 * CHUNK_SIZE;

/** A Writable that acknowledges every write late (next turn, and every 64th after a timer). */
class SlowSink extends Writable {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;
  writes = 0;
  maxBuffered = 0;

  constructor() {
    super({ highWaterMark: HIGH_WATER_MARK });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // writableLength counts this chunk and everything queued behind it.
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.writes++;
    if (this.writes % 64 === 0) setTimeout(callback, 1);
    else setImmediate(callback);
  }
}

// ---- tests --------------------------------------------------------------------------------

const GENERATORS = [
  ['sync generator', () => syncRows(N)],
  ['async generator', () => asyncRows(N)],
] as const;

const tmp = useTempDir('streaming');
let arrayOracle: { sha: string; bytes: number };
let linesOracle: { sha: string; bytes: number };

beforeAll(() => {
  arrayOracle = expectedArray(N);
  linesOracle = expectedLines(N);
});

describe(`streaming ${N.toLocaleString('en')} records`, () => {
  it.each(GENERATORS)('%s → file: parsed back by stream-json, flat heap', async (_name, make) => {
    const path = tmp.file(`rows-${_name.replace(/\W/g, '-')}.json`);
    const watch = new HeapWatch();
    const stats = await dump(make(), path);
    const growth = watch.stop();

    expect(stats.items).toBe(N);
    expect(stats.values).toBe(N * 5 + 1);
    expect(stats.bytes).toBe(arrayOracle.bytes);
    expect(statSync(path).size).toBe(arrayOracle.bytes);
    expect(await fileSha(path)).toBe(arrayOracle.sha);
    expect(await countArray(path)).toBe(N);

    expectFlatHeap(watch, growth);
    rmSync(path, { force: true });
  });

  it.each(GENERATORS)('%s → slow Writable: backpressure honoured, flat heap', async (_name, make) => {
    const sink = new SlowSink();
    let finished = false;
    sink.on('finish', () => (finished = true));
    const watch = new HeapWatch();
    const stats = await dump(make(), sink, { chunkSize: CHUNK_SIZE });
    const growth = watch.stop();

    expect(finished).toBe(true);
    expect(stats.items).toBe(N);
    expect(stats.bytes).toBe(arrayOracle.bytes);
    expect(sink.bytes).toBe(arrayOracle.bytes);
    expect(sink.hash.digest('hex')).toBe(arrayOracle.sha);
    // The sink really was slow (writes queued up to its high-water mark) …
    expect(sink.maxBuffered).toBeGreaterThanOrEqual(CHUNK_SIZE);
    // … and the dump never piled more than a few chunks on it.
    expect(sink.maxBuffered, `${sink.maxBuffered} bytes buffered in the sink`).toBeLessThanOrEqual(MAX_BUFFERED);

    expectFlatHeap(watch, growth);
  });

  it('dumpLines from an async generator → file: parsed back as JSON Lines, flat heap', async () => {
    const path = tmp.file('rows.jsonl');
    const watch = new HeapWatch();
    const stats = await dumpLines(asyncRows(N), path);
    const growth = watch.stop();

    expect(stats.items).toBe(N);
    expect(stats.bytes).toBe(linesOracle.bytes);
    expect(statSync(path).size).toBe(linesOracle.bytes);
    expect(await fileSha(path)).toBe(linesOracle.sha);
    expect(await countLines(path)).toBe(N);

    expectFlatHeap(watch, growth);
    rmSync(path, { force: true });
  });
});
