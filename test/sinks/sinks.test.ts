// Destinations: Writable (backpressure, end, errors, destroy, listener hygiene), FileHandle, fd,
// path, file URL, atomic writes, dumpSync, EPIPE, onProgress and the final stats.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { dump, dumps, dumpSync, JSONDumpError, stringifyChunks } from '../../src/index.js';
import type { DumpStats } from '../../src/index.js';
import { countValues } from '../helpers/count-values.js';
import { collector, type Collector, useTempDir } from '../helpers/io.js';
import { recordProcessEvents, settle, tick } from '../helpers/process-events.js';

const tmp = useTempDir('sinks');

const { unhandled, warnings, uncaught } = recordProcessEvents({ uncaught: true });

const rows = (n: number): { i: number; name: string; tags: string[]; ok: boolean | null }[] =>
  Array.from({ length: n }, (_, i) => ({ i, name: `row ${i} é😀`, tags: ['a', 'b'.repeat(i % 5)], ok: i % 3 ? i % 2 === 0 : null }));

/** A Writable that records what it gets; `delay` ms per write (0: synchronous callback). */
function sink(opts: { delay?: number; highWaterMark?: number; failAt?: number; error?: Error } = {}): Collector {
  return collector({ ...opts, highWaterMark: opts.highWaterMark ?? 16384 });
}

const EVENTS = ['error', 'drain', 'close', 'finish', 'unpipe', 'end', 'data'] as const;
const listenerCounts = (w: Writable): Record<string, number> => Object.fromEntries(EVENTS.map((e) => [e, w.listenerCount(e)]));

describe('Writable destination', () => {
  it('backpressure: a slow Writable with highWaterMark 1 never has more than ~2 chunks queued', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const parts: string[] = [];
    const w = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void) {
        parts.push(chunk.toString('utf8'));
        setTimeout(() => {
          inFlight--;
          cb();
        }, 1);
      },
    });
    const origWrite = w.write.bind(w) as (...a: unknown[]) => boolean;
    (w as unknown as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]): boolean => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return origWrite(...a);
    };
    const v = rows(400);
    const stats = await dump(v, w, { chunkSize: 256 });
    expect(calls).toBeGreaterThan(20);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(parts.join('')).toBe(JSON.stringify(v));
    expect(stats.bytes).toBe(Buffer.byteLength(JSON.stringify(v)));
  });

  for (const [kind, rec] of [['objects', { s: 'x'.repeat(100) }], ['strings', 'x'.repeat(100)], ['numbers', 123456789]] as const) {
    it(`backpressure with a lazily produced generator of ${kind}: the producer is not drained ahead of the sink`, async () => {
      const recBytes = JSON.stringify(rec).length + 1;
      const N = Math.ceil(2_000_000 / recBytes); // ~2 MB of output
      let pulled = 0;
      let written = 0;
      let maxAhead = 0;
      let pulledAtFirstWrite = -1;
      const w = new Writable({
        highWaterMark: 1,
        write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void) {
          if (pulledAtFirstWrite < 0) pulledAtFirstWrite = pulled;
          written += chunk.length;
          setImmediate(cb);
        },
      });
      function* gen(): Generator<unknown> {
        for (let i = 0; i < N; i++) {
          pulled++;
          maxAhead = Math.max(maxAhead, pulled * recBytes - written);
          yield rec;
        }
      }
      await dump(gen(), w, { chunkSize: 4096 });
      expect(pulled).toBe(N);
      expect(written).toBe(N * recBytes + 1);
      // bytes produced but not yet written stay bounded (a few chunks / a fixed budget), far from the whole output
      expect(pulledAtFirstWrite).toBeLessThan(N / 4);
      expect(maxAhead).toBeLessThan((N * recBytes) / 4);
    });
  }

  it('end: true (default) resolves after finish', async () => {
    const s = sink({ delay: 2 });
    let finishedAtResolve = false;
    await dump({ a: rows(50) }, s.w).then(() => {
      finishedAtResolve = s.w.writableFinished;
    });
    expect(finishedAtResolve).toBe(true);
    expect(s.text()).toBe(JSON.stringify({ a: rows(50) }));
  });

  it('end: false leaves the stream open and resolves', async () => {
    const s = sink({ delay: 1 });
    await dump([1, 2], s.w, { end: false });
    expect(s.w.writableEnded).toBe(false);
    expect(s.w.writable).toBe(true);
    await dump({ b: 'é' }, s.w, { end: false });
    await new Promise<void>((r) => s.w.end('\n', r));
    expect(s.text()).toBe('[1,2]{"b":"é"}\n');
  });

  it('20 dumps into one stream with end: false: no listener leak, no MaxListenersExceededWarning', async () => {
    const s = sink();
    s.w.on('error', () => {});
    const before = listenerCounts(s.w);
    for (let i = 0; i < 20; i++) await dump({ i, r: rows(20) }, s.w, { end: false, chunkSize: 64 });
    expect(listenerCounts(s.w)).toEqual(before);
    await settle();
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    expect(s.text()).toBe(Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, r: rows(20) })).join(''));
  });

  it('listener counts are restored after a successful dump with end: true', async () => {
    const s = sink({ delay: 1 });
    s.w.on('error', () => {});
    const before = listenerCounts(s.w);
    await dump(rows(100), s.w, { chunkSize: 100 });
    expect(listenerCounts(s.w)).toEqual(before);
  });
});

describe('a Writable that errors mid-way', () => {
  it('rejects with the original error; the generator stops and its finally runs; no leak, no unhandled rejection', async () => {
    const boom = new Error('disk on fire');
    const s = sink({ failAt: 3, error: boom, highWaterMark: 64 });
    s.w.on('error', () => {});
    const before = listenerCounts(s.w);
    let pulled = 0;
    let finalized = false;
    function* gen(): Generator<unknown> {
      try {
        for (let i = 0; i < 1_000_000; i++) {
          pulled++;
          yield { i, s: 'x'.repeat(20) };
        }
      } finally {
        finalized = true;
      }
    }
    await expect(dump(gen(), s.w, { chunkSize: 100 })).rejects.toBe(boom);
    const p1 = pulled;
    await settle();
    expect(pulled).toBe(p1);
    expect(pulled).toBeLessThan(1_000_000);
    expect(finalized).toBe(true);
    expect(listenerCounts(s.w)).toEqual(before);
    expect(unhandled).toEqual([]);
    expect(uncaught).toEqual([]);
  });

  it('async generator source: stops being pulled, return() runs', async () => {
    const boom = new Error('write failed');
    const s = sink({ failAt: 2, error: boom, highWaterMark: 16 });
    s.w.on('error', () => {});
    let pulled = 0;
    let finalized = false;
    async function* gen(): AsyncGenerator<unknown> {
      try {
        for (let i = 0; i < 100_000; i++) {
          pulled++;
          if (i % 10 === 0) await tick();
          yield { i, s: 'y'.repeat(30) };
        }
      } finally {
        finalized = true;
      }
    }
    await expect(dump({ rows: gen() }, s.w, { chunkSize: 50 })).rejects.toBe(boom);
    const p1 = pulled;
    await settle();
    expect(pulled).toBe(p1);
    expect(pulled).toBeLessThan(100_000);
    expect(finalized).toBe(true);
    expect(unhandled).toEqual([]);
  });

  it('custom iterator: return() is called', async () => {
    const boom = new Error('nope');
    const s = sink({ failAt: 2, error: boom, highWaterMark: 16 });
    s.w.on('error', () => {});
    let returned = 0;
    let i = 0;
    const iterable = {
      [Symbol.iterator]: () => ({
        next: () => ({ value: 'z'.repeat(40) + i++, done: i > 100_000 }),
        return: () => {
          returned++;
          return { value: undefined, done: true };
        },
      }),
    };
    await expect(dump(iterable, s.w, { chunkSize: 50 })).rejects.toBe(boom);
    await settle();
    expect(returned).toBe(1);
    expect(i).toBeLessThan(100_000);
  });

  it('no user error listener: still a rejection, no uncaught exception', async () => {
    const boom = new Error('unlistened');
    const s = sink({ failAt: 2, error: boom, highWaterMark: 16 });
    await expect(dump(rows(1000), s.w, { chunkSize: 50 })).rejects.toBe(boom);
    await settle();
    expect(uncaught).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('an error while the walk awaits a value: rejects with the original error', async () => {
    const boom = new Error('late failure');
    const s = sink();
    s.w.on('error', () => {});
    const p = dump([1, tick(200).then(() => 2), 3], s.w);
    await tick(20);
    s.w.destroy(boom);
    await expect(p).rejects.toBe(boom);
    await settle();
    expect(unhandled).toEqual([]);
  }, 10_000);

  it('an error while the walk awaits a never-resolving value: fails fast, no hang', async () => {
    const boom = new Error('dead socket');
    const s = sink();
    s.w.on('error', () => {});
    const p = dump([1, new Promise(() => {})], s.w);
    await tick(20);
    s.w.destroy(boom);
    await expect(p).rejects.toBe(boom);
  }, 10_000);
});

describe('a Writable closed or destroyed mid-way', () => {
  /** What a dump rejects with when its Writable closes without an error of its own. */
  const PREMATURE_CLOSE = { code: 'ERR_STREAM_PREMATURE_CLOSE' };

  it('destroyed (no error) inside a write: rejects, no hang, the walk stops', async () => {
    let n = 0;
    const w = new Writable({
      highWaterMark: 16,
      write(_c: Buffer, _e: BufferEncoding, cb: (e?: Error | null) => void) {
        if (++n === 3) {
          setImmediate(() => w.destroy());
          return; // this write never completes
        }
        cb();
      },
    });
    w.on('error', () => {});
    let finalized = false;
    function* gen(): Generator<string> {
      try {
        for (let i = 0; i < 100_000; i++) yield 'q'.repeat(50);
      } finally {
        finalized = true;
      }
    }
    const err = await dump(gen(), w, { chunkSize: 60 }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(JSONDumpError);
    expect(err).toMatchObject(PREMATURE_CLOSE);
    expect(finalized).toBe(true);
    await settle();
    expect(unhandled).toEqual([]);
  });

  it('destroyed while the walk awaits a value: rejects, no hang', async () => {
    const s = sink();
    s.w.on('error', () => {});
    const p = dump([1, new Promise(() => {})], s.w);
    await tick(20);
    s.w.destroy();
    await expect(p).rejects.toMatchObject(PREMATURE_CLOSE);
    await settle();
    expect(unhandled).toEqual([]);
  }, 10_000);

  it('already ended stream: rejects', async () => {
    const s = sink();
    s.w.on('error', () => {});
    s.w.end();
    await new Promise((r) => s.w.on('finish', r));
    await expect(dump([1, 2], s.w)).rejects.toMatchObject(PREMATURE_CLOSE);
  });
});

describe('file destinations', () => {
  const v = { rows: rows(300), note: 'file é😀' };
  const expected = JSON.stringify(v);

  it('FileHandle', async () => {
    const p = path.join(tmp.dir(), 'fh.json');
    const fh = await fs.promises.open(p, 'w');
    try {
      const stats = await dump(v, fh, { chunkSize: 1000 });
      expect(stats.bytes).toBe(Buffer.byteLength(expected));
    } finally {
      await fh.close().catch(() => {});
    }
    expect(fs.readFileSync(p, 'utf8')).toBe(expected);
  });

  it('numeric fd (dump and dumpSync)', async () => {
    const dir = tmp.dir();
    const p = path.join(dir, 'fd.json');
    const fd = fs.openSync(p, 'w');
    try {
      await dump(v, fd, { chunkSize: 1000 });
    } finally {
      try {
        fs.closeSync(fd);
      } catch {
        /* closed by dump */
      }
    }
    expect(fs.readFileSync(p, 'utf8')).toBe(expected);
    const p2 = path.join(dir, 'fd2.json');
    const fd2 = fs.openSync(p2, 'w');
    try {
      const stats = dumpSync(v, fd2, { chunkSize: 100 });
      expect(stats.bytes).toBe(Buffer.byteLength(expected));
    } finally {
      try {
        fs.closeSync(fd2);
      } catch {
        /* closed by dumpSync */
      }
    }
    expect(fs.readFileSync(p2, 'utf8')).toBe(expected);
  });

  it('path string and file URL (dump and dumpSync), only the target remains', async () => {
    const dir = tmp.dir();
    await dump(v, path.join(dir, 'a.json'));
    await dump(v, pathToFileURL(path.join(dir, 'b.json')));
    dumpSync(v, path.join(dir, 'c.json'));
    dumpSync(v, pathToFileURL(path.join(dir, 'd.json')));
    expect(fs.readdirSync(dir).sort()).toEqual(['a.json', 'b.json', 'c.json', 'd.json']);
    for (const f of ['a.json', 'b.json', 'c.json', 'd.json']) expect(fs.readFileSync(path.join(dir, f), 'utf8')).toBe(expected);
  });

  it('dump to a path replaces existing content', async () => {
    const dir = tmp.dir();
    const p = path.join(dir, 't.json');
    fs.writeFileSync(p, 'OLD CONTENT THAT IS LONGER THAN THE NEW ONE '.repeat(1000));
    await dump([1], p);
    expect(fs.readFileSync(p, 'utf8')).toBe('[1]');
    dumpSync({ a: 2 }, p);
    expect(fs.readFileSync(p, 'utf8')).toBe('{"a":2}');
    expect(fs.readdirSync(dir)).toEqual(['t.json']);
  });

  it('dumpSync writes big values chunk by chunk, same text as dumps', () => {
    const dir = tmp.dir();
    const big = { rows: rows(5000) };
    const p = path.join(dir, 'big.json');
    const stats = dumpSync(big, p, { chunkSize: 100, indent: 1, dialect: 'python' });
    const text = dumps(big, { indent: 1, dialect: 'python' });
    expect(fs.readFileSync(p, 'utf8') === text).toBe(true);
    expect(stats.bytes).toBe(Buffer.byteLength(text));
  });
});

describe('atomic writes', () => {
  const OLD = 'OLD CONTENT\n';
  /** A fresh directory holding only target.json, with the OLD content. */
  const oldTarget = (): { dir: string; p: string } => {
    const dir = tmp.dir();
    const p = path.join(dir, 'target.json');
    fs.writeFileSync(p, OLD);
    return { dir, p };
  };
  /** `p` still has the OLD content and is alone in `dir` (no temporary file left). */
  const expectOld = (dir: string, p: string): void => {
    expect(fs.readFileSync(p, 'utf8')).toBe(OLD);
    expect(fs.readdirSync(dir)).toEqual(['target.json']);
  };
  /** A promise that resolves when release(value) is called. */
  const gated = (): { gate: Promise<unknown>; release: (v: unknown) => void } => {
    let release!: (v: unknown) => void;
    const gate = new Promise((r) => {
      release = r;
    });
    return { gate, release };
  };
  const failing = (boom: Error): unknown =>
    Array.from({ length: 10_000 }, (_, i) => (i === 9000 ? { deep: [{ toJSON: () => { throw boom; } }] } : { i, s: 'é'.repeat(10) }));

  it('a failing dump (throwing toJSON deep inside) leaves the old file and no temporary file', async () => {
    const { dir, p } = oldTarget();
    const boom = new Error('toJSON failed');
    const progress: number[] = [];
    await expect(dump(failing(boom), p, { chunkSize: 100, onProgress: (s) => progress.push(s.bytes) })).rejects.toBe(boom);
    expect(progress.length).toBeGreaterThan(0); // something was written before the failure
    expectOld(dir, p);
  });

  it('a failing dump to a path that did not exist leaves nothing', async () => {
    const dir = tmp.dir();
    const boom = new Error('x');
    await expect(dump(failing(boom), path.join(dir, 'new.json'), { chunkSize: 100 })).rejects.toBe(boom);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a failing dump on an async value (rejected promise late in the walk)', async () => {
    const { dir, p } = oldTarget();
    const boom = new Error('query failed');
    const v = { a: rows(500), b: new Promise((_, rej) => setTimeout(() => rej(boom), 20)) };
    await expect(dump(v, p, { chunkSize: 100 })).rejects.toBe(boom);
    expectOld(dir, p);
  });

  it('an aborted dump leaves the old file and no temporary file', async () => {
    const { dir, p } = oldTarget();
    const ac = new AbortController();
    const err = await dump(rows(5000), p, {
      chunkSize: 100,
      signal: ac.signal,
      onProgress: (s) => {
        if (s.bytes > 1000) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JSONDumpError);
    expect((err as JSONDumpError).code).toBe('ERR_ABORTED');
    expectOld(dir, p);
  });

  it('while a dump is in progress the target still has its old content', async () => {
    const { dir, p } = oldTarget();
    const { gate, release } = gated();
    const done = dump(['x'.repeat(5000), gate], p, { chunkSize: 100 });
    await tick(50);
    expect(fs.readFileSync(p, 'utf8')).toBe(OLD);
    release('end');
    await done;
    expect(fs.readFileSync(p, 'utf8')).toBe(JSON.stringify(['x'.repeat(5000), 'end']));
    expect(fs.readdirSync(dir)).toEqual(['target.json']);
  });

  it('dumpSync to a path is atomic too', () => {
    const { dir, p } = oldTarget();
    const boom = new Error('sync toJSON failed');
    expect(() => dumpSync(failing(boom), p, { chunkSize: 100 })).toThrow(boom);
    expectOld(dir, p);
    let err: unknown;
    try {
      dumpSync({ a: [1, Promise.resolve(2)] }, p);
    } catch (e) {
      err = e;
    }
    expect((err as JSONDumpError).code).toBe('ERR_ASYNC_VALUE');
    expectOld(dir, p);
  });

  it('atomic: false writes the target directly', async () => {
    const { dir, p } = oldTarget();
    const { gate, release } = gated();
    const done = dump(['x'.repeat(5000), gate], p, { chunkSize: 100, atomic: false });
    await tick(100);
    expect(fs.readFileSync(p, 'utf8').startsWith('["xxx')).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['target.json']);
    release(1);
    await done;
    expect(fs.readFileSync(p, 'utf8')).toBe(JSON.stringify(['x'.repeat(5000), 1]));

    // a failure leaves the partial output, not the old content, and no other file
    fs.writeFileSync(p, OLD);
    const boom = new Error('partial');
    await expect(dump(failing(boom), p, { chunkSize: 100, atomic: false })).rejects.toBe(boom);
    const partial = fs.readFileSync(p, 'utf8');
    expect(partial).not.toBe(OLD);
    expect(partial.startsWith('[{"i":0,')).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['target.json']);

    // dumpSync with atomic: false
    fs.writeFileSync(p, OLD);
    expect(() => dumpSync(failing(boom), p, { chunkSize: 100, atomic: false })).toThrow(boom);
    expect(fs.readFileSync(p, 'utf8').startsWith('[{"i":0,')).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['target.json']);
  });
});

describe('destination errors', () => {
  it("EPIPE: a child process's stdin that exits early rejects with the EPIPE error, no crash", async () => {
    const child = spawn(process.execPath, ['-e', 'process.stdin.once("data", () => process.exit(0))'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise((r) => child.on('exit', r));
    let finalized = false;
    function* gen(): Generator<unknown> {
      try {
        for (let i = 0; i < 200_000; i++) yield { i, pad: 'p'.repeat(200) };
      } finally {
        finalized = true;
      }
    }
    const err = await dump(gen(), child.stdin).catch((e: unknown) => e);
    await exited;
    expect(err).toBeInstanceOf(Error);
    expect((err as NodeJS.ErrnoException).code).toBe('EPIPE');
    expect(err).not.toBeInstanceOf(JSONDumpError);
    expect(finalized).toBe(true);
    await settle();
    expect(uncaught).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('a directory as the target path rejects with the original error', async () => {
    const dir = tmp.dir();
    fs.mkdirSync(path.join(dir, 'sub'));
    const err = await dump([1], path.join(dir, 'sub')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(JSONDumpError);
    expect(err).toMatchObject({ code: 'EISDIR' });
    expect(fs.statSync(path.join(dir, 'sub')).isDirectory()).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['sub']);
  });
});

describe('onProgress and stats', () => {
  const value = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? { a: 'x', b: [true, null], u: undefined } : 'é😀'));
  const text = JSON.stringify(value);
  const expectedStats: DumpStats = { bytes: Buffer.byteLength(text), values: countValues(JSON.parse(text)), items: 300 };

  function checkCalls(calls: DumpStats[], chunks: number, final: DumpStats): void {
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.length).toBeLessThanOrEqual(chunks);
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i].bytes).toBeGreaterThan(calls[i - 1].bytes);
      expect(calls[i].values).toBeGreaterThanOrEqual(calls[i - 1].values);
      expect(calls[i].items).toBeGreaterThanOrEqual(calls[i - 1].items);
    }
    const last = calls[calls.length - 1];
    expect(last.bytes).toBeLessThanOrEqual(final.bytes);
    expect(last.values).toBeLessThanOrEqual(final.values);
    expect(last.items).toBeLessThanOrEqual(final.items);
    for (const c of calls) expect(Object.keys(c).sort()).toEqual(['bytes', 'items', 'values']);
  }

  it('dump to a Writable: increasing progress, at most once per chunk, exact final stats', async () => {
    const s = sink();
    const calls: DumpStats[] = [];
    const stats = await dump(value, s.w, { chunkSize: 64, onProgress: (p) => calls.push({ ...p }) });
    expect(s.text()).toBe(text);
    expect(stats).toEqual(expectedStats);
    checkCalls(calls, s.writes(), stats);
  });

  it('dump to a path and dumpSync: same stats', async () => {
    const dir = tmp.dir();
    const calls: DumpStats[] = [];
    const stats = await dump(value, path.join(dir, 'a.json'), { chunkSize: 64, onProgress: (p) => calls.push({ ...p }) });
    expect(stats).toEqual(expectedStats);
    expect(fs.statSync(path.join(dir, 'a.json')).size).toBe(stats.bytes);
    checkCalls(calls, Math.ceil(text.length / 64) + 50, stats);
    const syncCalls: DumpStats[] = [];
    const s2 = dumpSync(value, path.join(dir, 'b.json'), { chunkSize: 64, onProgress: (p) => syncCalls.push({ ...p }) });
    expect(s2).toEqual(expectedStats);
    checkCalls(syncCalls, Math.ceil(text.length / 64) + 50, s2);
  });

  it('stringifyChunks: at most one progress call per chunk yielded', async () => {
    const calls: DumpStats[] = [];
    let chunks = 0;
    let joined = '';
    for await (const c of stringifyChunks(value, { chunkSize: 64, onProgress: (p) => calls.push({ ...p }) })) {
      chunks++;
      joined += c;
    }
    expect(joined).toBe(text);
    expect(calls.length).toBeLessThanOrEqual(chunks);
    for (let i = 1; i < calls.length; i++) expect(calls[i].bytes).toBeGreaterThan(calls[i - 1].bytes);
  });

  it('items counts the elements of a top-level generator; values counts nested values; bytes are UTF-8 bytes', async () => {
    function* gen(): Generator<unknown> {
      for (let i = 0; i < 50; i++) yield { i, nested: { list: [i, 'ü', [null]] } };
    }
    const s = sink();
    const stats = await dump(gen(), s.w, { indent: 2 });
    const t = s.text();
    expect(stats).toEqual({ bytes: Buffer.byteLength(t), values: countValues(JSON.parse(t)), items: 50 });
    expect(stats.values).toBe(1 + 50 * 8);
  });

  it('a Map and a Set count as containers', async () => {
    const s = sink();
    const stats = await dump([new Map([['a', 1]]), new Set([1, 2])], s.w);
    expect(s.text()).toBe('[{"a":1},[1,2]]');
    expect(stats).toEqual({ bytes: 15, values: 6, items: 2 });
  });
});
