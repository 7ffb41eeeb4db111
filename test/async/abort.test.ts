// `signal`: aborted before the start, aborted mid-stream (from onProgress, from a timer while the
// walk awaits a never-resolving promise or a stalled async iterator), in every async API.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { getEventListeners } from 'node:events';
import { Readable, Writable } from 'node:stream';
import {
  createStringifyStream, dump, dumpLines, dumps, dumpSync, JSONDumpError, stringifyChunks,
  stringifyChunksSync,
} from '../../src/index.js';
import { describeError } from '../helpers/describe-error.js';
import { collector, type Collector, useTempDir } from '../helpers/io.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { rejection } from '../helpers/rejection.js';

const tmp = useTempDir('abort');

const { unhandled, warnings } = recordProcessEvents();

/** A recording Writable with a no-op 'error' listener. */
const sink = (): Collector => collector({ ignoreErrors: true });

const isAborted = (e: unknown): boolean => e instanceof JSONDumpError && e.code === 'ERR_ABORTED';

/**
 * A stalled async iterable (a class instance, like a database cursor object): yields `first`
 * values, then next() never settles. Records return().
 */
function stalled(first: unknown[]): { iterable: AsyncIterable<unknown>; returned: () => number; pulled: () => number } {
  let returned = 0;
  let pulled = 0;
  class StalledCursor implements AsyncIterable<unknown> {
    [Symbol.asyncIterator](): AsyncIterator<unknown> {
      let i = 0;
      return {
        next(): Promise<IteratorResult<unknown>> {
          pulled++;
          if (i < first.length) return Promise.resolve({ value: first[i++], done: false });
          return new Promise(() => {});
        },
        return(): Promise<IteratorResult<unknown>> {
          returned++;
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    }
  }
  return { iterable: new StalledCursor(), returned: () => returned, pulled: () => pulled };
}

const never = (): Promise<unknown> => new Promise(() => {});

describe('aborted before the start: ERR_ABORTED, nothing written', () => {
  const value = { a: [1, 2, 3] };
  it('dump to a Writable', async () => {
    const s = sink();
    const err = await rejection(dump(value, s.w, { signal: AbortSignal.abort() }));
    expect(describeError(err)).toMatch(/^ERR_ABORTED \$/);
    expect(s.writes()).toBe(0);
  });
  it('dump to a path: the target is not created, no temporary file', async () => {
    const dir = tmp.dir();
    const err = await rejection(dump(value, path.join(dir, 'x.json'), { signal: AbortSignal.abort() }));
    expect(isAborted(err)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
  it('dump to a path with old content: kept', async () => {
    const dir = tmp.dir();
    const p = path.join(dir, 'x.json');
    fs.writeFileSync(p, 'OLD');
    expect(isAborted(await rejection(dump(value, p, { signal: AbortSignal.abort() })))).toBe(true);
    expect(fs.readFileSync(p, 'utf8')).toBe('OLD');
    expect(fs.readdirSync(dir)).toEqual(['x.json']);
  });
  it('dumpLines', async () => {
    const s = sink();
    expect(isAborted(await rejection(dumpLines([1, 2], s.w, { signal: AbortSignal.abort() })))).toBe(true);
    expect(s.writes()).toBe(0);
    const dir = tmp.dir();
    expect(isAborted(await rejection(dumpLines([1, 2], path.join(dir, 'l.jsonl'), { signal: AbortSignal.abort() })))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
  it('stringifyChunks: the generator throws ERR_ABORTED before any chunk', async () => {
    const chunks: string[] = [];
    let err: unknown;
    try {
      for await (const c of stringifyChunks(value, { signal: AbortSignal.abort() })) chunks.push(c);
    } catch (e) {
      err = e;
    }
    expect(isAborted(err)).toBe(true);
    expect(chunks).toEqual([]);
  });
  it('createStringifyStream: the stream errors with ERR_ABORTED, no data', async () => {
    const chunks: unknown[] = [];
    let err: unknown;
    try {
      const s = createStringifyStream(value, { signal: AbortSignal.abort() });
      for await (const c of s) chunks.push(c);
    } catch (e) {
      err = e;
    }
    expect(isAborted(err)).toBe(true);
    expect(chunks).toEqual([]);
  });
  it('the sync functions (dumps, stringifyChunksSync, dumpSync) refuse an aborted signal too', () => {
    const signal = AbortSignal.abort();
    let err: unknown;
    try {
      dumps(value, { signal });
    } catch (e) {
      err = e;
    }
    expect(describeError(err), 'dumps').toMatch(/^ERR_ABORTED/);
    err = undefined;
    const chunks: string[] = [];
    try {
      for (const c of stringifyChunksSync(value, { signal })) chunks.push(c);
    } catch (e) {
      err = e;
    }
    expect(describeError(err), 'stringifyChunksSync').toMatch(/^ERR_ABORTED/);
    expect(chunks).toEqual([]);
    const dir = tmp.dir();
    expect(() => dumpSync(value, path.join(dir, 's.json'), { signal })).toThrow(JSONDumpError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('aborted mid-stream', () => {
  it('dump to a Writable while awaiting a never-resolving promise: rejects with ERR_ABORTED', async () => {
    const s = sink();
    const ac = new AbortController();
    const p = dump({ a: 'x'.repeat(1000), b: never() }, s.w, { signal: ac.signal, chunkSize: 100 });
    setTimeout(() => ac.abort(), 30);
    expect(isAborted(await rejection(p))).toBe(true);
    await settle();
    expect(unhandled).toEqual([]);
  });

  it('dump whose walk is done while the destination never takes its last write: ERR_ABORTED, the stream destroyed', async () => {
    const ac = new AbortController();
    const w = new Writable({ write() {} }); // never calls back: 'finish' never comes
    w.on('error', () => {});
    const p = dump([1, 2, 3], w, { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    expect(describeError(await rejection(p))).toBe('ERR_ABORTED $');
    expect(w.destroyed).toBe(true);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('dump to a path while awaiting: temp file gone, old content kept', async () => {
    const dir = tmp.dir();
    const target = path.join(dir, 't.json');
    fs.writeFileSync(target, 'OLD');
    const ac = new AbortController();
    const p = dump(['y'.repeat(5000), never()], target, { signal: ac.signal, chunkSize: 100 });
    setTimeout(() => ac.abort(), 50);
    expect(isAborted(await rejection(p))).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('OLD');
    expect(fs.readdirSync(dir)).toEqual(['t.json']);
  });

  it('dump with a stalled async iterator: ERR_ABORTED and the iterator is closed (return())', async () => {
    const s = sink();
    const src = stalled([{ r: 1 }, { r: 2 }]);
    const ac = new AbortController();
    const p = dump({ rows: src.iterable }, s.w, { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    expect(isAborted(await rejection(p))).toBe(true);
    await settle();
    expect(src.returned()).toBe(1);
    expect(unhandled).toEqual([]);
  });

  it('dump of a stalled object-mode Readable: ERR_ABORTED and the Readable is destroyed', async () => {
    const s = sink();
    const r = new Readable({ objectMode: true, read() {} });
    r.push({ a: 1 });
    const ac = new AbortController();
    const p = dump([r], s.w, { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    expect(isAborted(await rejection(p))).toBe(true);
    await settle();
    expect(r.destroyed).toBe(true);
  });

  it('abort from onProgress: the walk stops, the generator is closed', async () => {
    const s = sink();
    const ac = new AbortController();
    let pulled = 0;
    let finalized = false;
    function* gen(): Generator<unknown> {
      try {
        for (let i = 0; i < 1_000_000; i++) {
          pulled++;
          yield { i, s: 'z'.repeat(20) };
        }
      } finally {
        finalized = true;
      }
    }
    const err = await rejection(dump(gen(), s.w, {
      signal: ac.signal,
      chunkSize: 100,
      onProgress: (p) => {
        if (p.items >= 10) ac.abort();
      },
    }));
    expect(isAborted(err)).toBe(true);
    expect(pulled).toBeLessThan(1_000_000);
    expect(finalized).toBe(true);
    const p1 = pulled;
    await settle();
    expect(pulled).toBe(p1);
  });

  it('dumpSync aborted from onProgress: throws ERR_ABORTED, target untouched', () => {
    const dir = tmp.dir();
    const target = path.join(dir, 't.json');
    fs.writeFileSync(target, 'OLD');
    const ac = new AbortController();
    const rows = Array.from({ length: 5000 }, (_, i) => ({ i }));
    let err: unknown;
    try {
      dumpSync(rows, target, { signal: ac.signal, chunkSize: 100, onProgress: () => ac.abort() });
    } catch (e) {
      err = e;
    }
    expect(isAborted(err)).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('OLD');
    expect(fs.readdirSync(dir)).toEqual(['t.json']);
  });

  it('dumpLines from a stalled cursor: ERR_ABORTED, return() called, no file left', async () => {
    const dir = tmp.dir();
    const src = stalled([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const ac = new AbortController();
    const p = dumpLines(src.iterable, path.join(dir, 'rows.jsonl'), { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    expect(isAborted(await rejection(p))).toBe(true);
    await settle();
    expect(src.returned()).toBe(1);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('dumpLines to a Writable while a record promise never resolves', async () => {
    const s = sink();
    const ac = new AbortController();
    const p = dumpLines([{ a: 1 }, never()], s.w, { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    expect(isAborted(await rejection(p))).toBe(true);
  });

  it('stringifyChunks: a pending next() rejects with ERR_ABORTED; the source is closed', async () => {
    const src = stalled([1, 2, 3]);
    const ac = new AbortController();
    const it = stringifyChunks({ rows: src.iterable }, { signal: ac.signal, chunkSize: 1 });
    const got: string[] = [];
    let err: unknown;
    setTimeout(() => ac.abort(), 30);
    try {
      for await (const c of it) got.push(c);
    } catch (e) {
      err = e;
    }
    expect(isAborted(err)).toBe(true);
    expect('{"rows":[1,2,3'.startsWith(got.join(''))).toBe(true);
    await settle();
    expect(src.returned()).toBe(1);
  });

  it('stringifyChunks: abort between chunks from the consumer', async () => {
    const ac = new AbortController();
    const chunks: string[] = [];
    let err: unknown;
    try {
      for await (const c of stringifyChunks(Array.from({ length: 10_000 }, (_, i) => i), { signal: ac.signal, chunkSize: 50 })) {
        chunks.push(c);
        if (chunks.length === 3) ac.abort();
      }
    } catch (e) {
      err = e;
    }
    expect(isAborted(err)).toBe(true);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.length).toBeLessThan(10);
  });

  it('createStringifyStream: the stream errors with ERR_ABORTED while waiting on a promise', async () => {
    const ac = new AbortController();
    const s = createStringifyStream({ a: 1, b: never() }, { signal: ac.signal });
    const errored = new Promise<unknown>((resolve) => s.on('error', resolve));
    const data: string[] = [];
    s.on('data', (c: Buffer | string) => data.push(String(c)));
    setTimeout(() => ac.abort(), 30);
    const err = await errored;
    expect(isAborted(err)).toBe(true);
    await settle();
    expect(s.destroyed).toBe(true);
  });

  it('createStringifyStream: abort while being consumed, source closed', async () => {
    const ac = new AbortController();
    const src = stalled(['a', 'b']);
    const s = createStringifyStream([src.iterable], { signal: ac.signal });
    let err: unknown;
    setTimeout(() => ac.abort(), 30);
    try {
      for await (const c of s) void c;
    } catch (e) {
      err = e;
    }
    expect(isAborted(err)).toBe(true);
    await settle();
    expect(src.returned()).toBe(1);
  });
});

describe('signal hygiene', () => {
  it('20 dumps with one signal leave no abort listeners behind and no warning', async () => {
    const ac = new AbortController();
    for (let i = 0; i < 20; i++) {
      const s = sink();
      await dump({ i, x: [Promise.resolve(i)] }, s.w, { signal: ac.signal });
      expect(s.text()).toBe(JSON.stringify({ i, x: [i] }));
    }
    for (let i = 0; i < 20; i++) {
      let t = '';
      for await (const c of stringifyChunks([i], { signal: ac.signal })) t += c;
      expect(t).toBe(`[${i}]`);
    }
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    await settle();
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('failed dumps also remove their abort listener', async () => {
    const ac = new AbortController();
    for (let i = 0; i < 5; i++) {
      await rejection(dump({ n: NaN }, sink().w, { signal: ac.signal, allowNaN: false }));
    }
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('aborting after a dump completed has no effect and raises nothing', async () => {
    const ac = new AbortController();
    const s = sink();
    await dump([1, 2], s.w, { signal: ac.signal });
    ac.abort();
    await settle();
    expect(s.text()).toBe('[1,2]');
    expect(unhandled).toEqual([]);
  });
});
