// Web Streams, both ways: createStringifyWebStream is a ReadableStream of the UTF-8 text that
// Response accepts, walked only as its reader reads, cancellable; dump and dumpLines write into
// a WHATWG WritableStream through its writer, waiting on `ready` when `desiredSize` says so.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { CountQueuingStrategy, ReadableStream, WritableStream } from 'node:stream/web';
import { createStringifyWebStream, dump, dumpLines, dumps, type DumpOptions } from '../../src/index.js';
import { describeError } from '../helpers/describe-error.js';
import { recordProcessEvents, settle, tick } from '../helpers/process-events.js';
import { rejection } from '../helpers/rejection.js';

const events = recordProcessEvents({ uncaught: true });

const rows = (n: number): { i: number; s: string }[] => Array.from({ length: n }, (_, i) => ({ i, s: `é😀 ${i}` }));

/** A generator of `n` rows that counts what was pulled and notes when it is closed. */
function counted(n: number): { gen: Generator<unknown>; pulled: () => number; closed: () => boolean } {
  let pulled = 0;
  let closed = false;
  function* gen(): Generator<unknown> {
    try {
      for (let i = 0; i < n; i++) {
        pulled++;
        yield { i, pad: 'x'.repeat(30) };
      }
    } finally {
      closed = true;
    }
  }
  return { gen: gen(), pulled: () => pulled, closed: () => closed };
}

describe('createStringifyWebStream', () => {
  const value = () => ({ rows: rows(500), total: Promise.resolve(500), more: (async function* () { yield 1; yield 'two'; })() });
  const OPTIONS: (DumpOptions | undefined)[] = [undefined, { indent: 2 }, { dialect: 'python', sortKeys: true }, { chunkSize: 7 }];

  for (const o of OPTIONS) {
    it(`new Response(stream).text() is the text of dumps, ${JSON.stringify(o)}`, async () => {
      const expected = dumps({ rows: rows(500), total: 500, more: [1, 'two'] }, o);
      expect(await new Response(createStringifyWebStream(value(), o)).text()).toBe(expected);
    });
  }

  it('its chunks are plain Uint8Arrays', async () => {
    const reader = createStringifyWebStream(rows(100), { chunkSize: 100 }).getReader();
    let chunks = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      expect(Object.getPrototypeOf(r.value)).toBe(Uint8Array.prototype);
      chunks++;
    }
    expect(chunks).toBeGreaterThan(5);
  });

  it('JSON.stringify’s call form: (value, replacer, space)', async () => {
    const v = { a: [1, { b: 2 }], c: 'x' };
    const replacer = (k: string, x: unknown) => (k === 'b' ? undefined : x);
    expect(await new Response(createStringifyWebStream(v, replacer, 3)).text()).toBe(JSON.stringify(v, replacer, 3));
  });

  it('pull-based: nothing is walked before the first read, one chunk per read', async () => {
    const src = counted(100_000);
    const stream = createStringifyWebStream(src.gen, { chunkSize: 1000 });
    await settle();
    expect(src.pulled()).toBe(0);
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await settle();
    const afterOne = src.pulled();
    expect(afterOne).toBeGreaterThan(0);
    expect(afterOne).toBeLessThan(1000); // about a chunk of ~45-character rows, not the source
    await reader.read();
    await settle();
    expect(src.pulled()).toBeLessThan(2 * afterOne + 100);
    await reader.cancel();
  });

  it('cancel closes what the walk opened: generators, async generators, Node streams', async () => {
    const src = counted(1_000_000);
    let asyncClosed = false;
    async function* more(): AsyncGenerator<unknown> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        asyncClosed = true;
      }
    }
    const readable = Readable.from(['a', 'b', 'c'], { objectMode: false });
    const stream = createStringifyWebStream({ text: readable, rows: src.gen, more: more() }, { chunkSize: 100 });
    const reader = stream.getReader();
    for (let k = 0; k < 5; k++) await reader.read();
    await reader.cancel(new Error('client went away'));
    await settle();
    expect(src.closed()).toBe(true);
    expect(asyncClosed).toBe(false); // not reached yet: the rows come first
    expect(src.pulled()).toBeLessThan(1_000_000);
    expect(events.unhandled).toEqual([]);

    // cancelled while inside the async generator
    let innerClosed = false;
    async function* slow(): AsyncGenerator<unknown> {
      try {
        for (let i = 0; ; i++) {
          await tick(1);
          yield i;
        }
      } finally {
        innerClosed = true;
      }
    }
    const r2 = createStringifyWebStream({ slow: slow() }, { chunkSize: 10 }).getReader();
    await r2.read();
    await r2.read();
    await r2.cancel();
    await settle();
    expect(innerClosed).toBe(true);
  });

  it('an abort while nobody reads: the next read rejects with ERR_ABORTED, the walk is closed', async () => {
    const src = counted(1_000_000);
    const ac = new AbortController();
    const reader = createStringifyWebStream({ rows: src.gen }, { signal: ac.signal, chunkSize: 100 }).getReader();
    await reader.read();
    ac.abort();
    await settle();
    expect(src.closed()).toBe(true);
    expect(describeError(await rejection(reader.read()))).toMatch(/^ERR_ABORTED \$\.rows/);
  });

  it('an error of the walk errors the stream: the read rejects with it', async () => {
    const boom = new Error('toJSON failed');
    const reader = createStringifyWebStream([...rows(300), { toJSON: () => { throw boom; } }], { chunkSize: 100 }).getReader();
    let err: unknown;
    try {
      for (;;) if ((await reader.read()).done) break;
    } catch (e) {
      err = e;
    }
    expect(err).toBe(boom);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(describeError(await rejection(new Response(createStringifyWebStream(cyc)).text()))).toBe('ERR_CIRCULAR $.self');
  });

  it('onProgress that throws errors the stream with its error', async () => {
    const boom = new Error('progress');
    const s = createStringifyWebStream(rows(300), { chunkSize: 100, onProgress: () => { throw boom; } });
    expect(await rejection(new Response(s).text())).toBe(boom);
    await settle();
    expect(events.uncaught).toEqual([]);
    expect(events.unhandled).toEqual([]);
  });

  it('pipes into a WritableStream (pipeTo)', async () => {
    const parts: Uint8Array[] = [];
    await createStringifyWebStream(rows(200), { chunkSize: 64 }).pipeTo(new WritableStream({ write: (c) => void parts.push(c) }));
    expect(Buffer.concat(parts).toString()).toBe(JSON.stringify(rows(200)));
  });
});

/** A WritableStream that keeps what it gets, acknowledging each write after `delay` ms. */
function webSink(opts: { delay?: number; highWaterMark?: number; failAt?: number; error?: Error } = {}) {
  const parts: Uint8Array[] = [];
  let writes = 0;
  let closed = false;
  let aborted: unknown = undefined;
  let maxQueued = 0;
  let queued = 0;
  const stream = new WritableStream<Uint8Array>(
    {
      async write(chunk) {
        writes++;
        if (writes === opts.failAt) throw opts.error ?? new Error('sink failed');
        parts.push(chunk);
        if (opts.delay) await tick(opts.delay);
        queued--;
      },
      close() {
        closed = true;
      },
      abort(reason) {
        aborted = reason;
      },
    },
    new CountQueuingStrategy({ highWaterMark: opts.highWaterMark ?? 1 }),
  );
  const writer = stream.getWriter.bind(stream);
  // Count what the stream holds: every write() goes through the writer dump takes.
  (stream as { getWriter: () => WritableStreamDefaultWriter<Uint8Array> }).getWriter = () => {
    const w = writer();
    const write = w.write.bind(w);
    w.write = (chunk: Uint8Array) => {
      queued++;
      maxQueued = Math.max(maxQueued, queued);
      return write(chunk);
    };
    return w;
  };
  return {
    stream,
    text: () => Buffer.concat(parts).toString(),
    writes: () => writes,
    closed: () => closed,
    aborted: () => aborted,
    maxQueued: () => maxQueued,
  };
}

describe('dump into a WritableStream', () => {
  it('writes the text, closes the stream, returns the stats', async () => {
    const s = webSink();
    const v = { rows: rows(300) };
    const stats = await dump(v, s.stream, { chunkSize: 256 });
    expect(s.text()).toBe(JSON.stringify(v));
    expect(stats.bytes).toBe(Buffer.byteLength(JSON.stringify(v)));
    expect(s.closed()).toBe(true);
    expect(s.stream.locked).toBe(false);
  });

  it('backpressure: waits on ready; the source is not pulled ahead of the sink', async () => {
    const s = webSink({ delay: 2, highWaterMark: 1 });
    const src = counted(5000);
    let pulledAtFirstWrite = -1;
    const stats = await dump(src.gen, s.stream, {
      chunkSize: 512,
      onProgress: () => {
        if (pulledAtFirstWrite < 0) pulledAtFirstWrite = src.pulled();
      },
    });
    expect(s.maxQueued()).toBeLessThanOrEqual(2);
    expect(pulledAtFirstWrite).toBeLessThan(100);
    expect(s.writes()).toBeGreaterThan(100);
    expect(stats.items).toBe(5000);
  });

  it('end: false leaves it open and unlocked: the caller writes on and closes it', async () => {
    const s = webSink();
    await dump([1, 2], s.stream, { end: false });
    expect(s.closed()).toBe(false);
    expect(s.stream.locked).toBe(false);
    await dumpLines([{ a: 1 }], s.stream, { end: false });
    const w = s.stream.getWriter();
    await w.write(new TextEncoder().encode('end'));
    await w.close();
    expect(s.text()).toBe('[1,2]{"a":1}\nend');
    expect(s.closed()).toBe(true);
  });

  it('the stream failing mid-way: dump rejects with its error, the walk is closed', async () => {
    const boom = new Error('socket reset');
    const s = webSink({ failAt: 3, error: boom });
    const src = counted(1_000_000);
    expect(await rejection(dump(src.gen, s.stream, { chunkSize: 100 }))).toBe(boom);
    expect(src.closed()).toBe(true);
    expect(src.pulled()).toBeLessThan(1_000_000);
    await settle();
    expect(events.unhandled).toEqual([]);
  });

  it('a failure of the walk aborts the stream with the error (end: true), not with end: false', async () => {
    const boom = new Error('bad row');
    const bad = () => [...rows(100), { toJSON: () => { throw boom; } }];
    const s = webSink();
    expect(await rejection(dump(bad(), s.stream, { chunkSize: 100 }))).toBe(boom);
    await settle();
    expect(s.aborted()).toBe(boom);
    expect(s.closed()).toBe(false);

    const kept = webSink();
    expect(await rejection(dump(bad(), kept.stream, { chunkSize: 100, end: false }))).toBe(boom);
    await settle();
    expect(kept.aborted()).toBe(undefined);
    expect(kept.stream.locked).toBe(false);
  });

  it('a stream that errored before: rejects with its error', async () => {
    const boom = new Error('already broken');
    const stream = new WritableStream({ start: (c) => c.error(boom) });
    await settle();
    expect(await rejection(dump([1], stream))).toBe(boom);
  });

  it('a locked stream: a rejection (TypeError), never a throw', async () => {
    const stream = new WritableStream();
    stream.getWriter();
    let p: Promise<unknown> | undefined;
    expect(() => {
      p = dump([1], stream);
    }).not.toThrow();
    expect(await rejection(p!)).toBeInstanceOf(TypeError);
  });

  it('a ReadableStream is not a destination: ERR_BAD_OPTION', async () => {
    const err = await rejection(dump([1], new ReadableStream() as never));
    expect(describeError(err)).toBe('ERR_BAD_OPTION $');
  });
});
