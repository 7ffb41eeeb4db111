// Web values inside the value: a WHATWG ReadableStream of bytes or strings and a Blob are one
// JSON string (UTF-8 decoded as it streams, as a Node byte Readable is); a ReadableStream of
// other values is an array, pulled one element at a time (as an object-mode Readable is). They
// are recognised by their internal slots, without calling user code, and read with the built-in
// reader, which is cancelled and released when the dump fails. Through every API; the sync
// functions raise ERR_ASYNC_VALUE.
import { describe, expect, it } from 'vitest';
import { Blob, File } from 'node:buffer';
import { Readable, Writable } from 'node:stream';
import { ReadableStream } from 'node:stream/web';
import { dump, dumps, JSONDumpError, measure, stringifyChunks } from '../../src/index.js';
import { allVariantsSettled, SYNC_VARIANTS } from '../helpers/variants.js';
import { everyApi, expectEveryApi } from '../helpers/every-api.js';
import { gc } from '../helpers/gc.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A stream that enqueues `chunks`, then closes. */
const streamOf = (chunks: unknown[], type?: 'bytes'): ReadableStream<unknown> =>
  new ReadableStream({
    type,
    start(c: { enqueue(chunk: unknown): void; close(): void }) {
      for (const x of chunks) c.enqueue(x);
      c.close();
    },
  } as never);

/** `text`'s UTF-8 bytes in pieces of `size` bytes: multi-byte characters are cut between chunks. */
function bytesOf(text: string, size: number): Uint8Array[] {
  const all = utf8(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

const TEXT = 'hé "quoted" \\ \n\t€😀 \u0001 end';

describe('a ReadableStream of bytes or strings, and a Blob, are one JSON string', () => {
  it.each([1, 2, 5, 1000])('bytes cut every %i bytes, through every API', async (size) => {
    await expectEveryApi(() => ({ body: streamOf(bytesOf(TEXT, size)), n: 1 }), JSON.stringify({ body: TEXT, n: 1 }), undefined, { async: true });
  });

  it('a byte stream (type: "bytes"), strings, and bytes and strings mixed', async () => {
    await expectEveryApi(() => [streamOf(bytesOf(TEXT, 3), 'bytes')], JSON.stringify([TEXT]), undefined, { async: true });
    await expectEveryApi(() => [streamOf(['a"', '😀', 'b'])], JSON.stringify(['a"😀b']), undefined, { async: true });
    await expectEveryApi(() => [streamOf([utf8('é'), 'x', utf8('€')])], JSON.stringify(['éx€']), undefined, { async: true });
  });

  it('Blobs and Files, whatever their size and content', async () => {
    const big = 'ab€'.repeat(100_000);
    await expectEveryApi(
      () => ({ blob: new Blob([TEXT]), file: new File([utf8('😀'), 'x'], 'f.txt'), empty: new Blob([]), big: new Blob([big]) }),
      JSON.stringify({ blob: TEXT, file: '😀x', empty: '', big }),
      undefined,
      { async: true },
    );
  });

  it('at the top level, and as the records of a top-level array', async () => {
    await expectEveryApi(() => new Blob(['top']), '"top"', undefined, { async: true });
    await expectEveryApi(() => streamOf([utf8('top')]), '"top"', undefined, { async: true });
  });

  it('the old output: not arrays of byte values, not {}', async () => {
    const out = await everyApi(() => ({ s: streamOf([utf8('hi')]), b: new Blob(['hi']) }), undefined, { async: true });
    for (const text of Object.values(out)) expect(text).toBe('{"s":"hi","b":"hi"}');
  });
});

describe('a ReadableStream of other values is an array', () => {
  it('each element written by the rules for its type, through every API', async () => {
    const make = () => streamOf([{ a: 1 }, 2, null, [3n], new Map([['k', Promise.resolve('v')]]), undefined, utf8('x')]);
    await expectEveryApi(make, '[{"a":1},2,null,[3],{"k":"v"},null,[120]]', undefined, { async: true });
  });

  it('the first chunk decides; a stream without one is "", as the platform reads an untyped stream (bytes)', async () => {
    // What Node's own readers make of an empty untyped stream: text, and no bytes.
    const { text } = await import('node:stream/consumers');
    expect(await text(streamOf([]) as never)).toBe('');
    expect(await new Response(streamOf([]) as never).text()).toBe('');
    await expectEveryApi(() => ({ empty: streamOf([]), bytes: streamOf([], 'bytes') }), '{"empty":"","bytes":""}', undefined, { async: true });
    // An empty file read through the DOM's own text decoder: an untyped stream of strings.
    await expectEveryApi(() => ({ file: new Blob([]).stream().pipeThrough(new TextDecoderStream()) }), '{"file":""}', undefined, { async: true });
    await expectEveryApi(() => streamOf([]), '""', undefined, { async: true });
    // The documented way to an empty array: an object-mode stream.
    await expectEveryApi(() => ({ rows: Readable.fromWeb(streamOf([]) as never, { objectMode: true }) }), '{"rows":[]}', undefined, { async: true });
  });

  it('is pulled one element at a time, as the text is read', async () => {
    let pulled = 0;
    const endless = new ReadableStream({ pull: (c) => c.enqueue({ i: pulled++ }) }, { highWaterMark: 0 });
    const chunks = stringifyChunks({ rows: endless }, { chunkSize: 64 });
    const first = await chunks.next();
    expect(first.value).toMatch(/^\{"rows":\[\{"i":0\}/);
    expect(pulled).toBeLessThan(64);
    await chunks.return(undefined);
    // Closing the consumer cancels the stream and releases its reader.
    expect(endless.locked).toBe(false);
    await expect(endless.getReader().read()).resolves.toEqual({ done: true, value: undefined });
  });
});

describe('the sync functions refuse them', () => {
  it.each([
    ['a ReadableStream', () => ({ a: [streamOf([])] })],
    ['a Blob', () => ({ a: [new Blob(['x'])] })],
  ])('%s: ERR_ASYNC_VALUE at its path', async (_name, make) => {
    const settled = await allVariantsSettled(make, undefined, { async: false });
    const sync = Object.entries(settled).filter(([name]) => SYNC_VARIANTS.has(name as never));
    expect(sync.length).toBeGreaterThan(0);
    for (const [, r] of sync) expect(r).toMatchObject({ ok: false, error: { code: 'ERR_ASYNC_VALUE', path: '$.a[0]' } });
  });
});

describe('recognised without calling user code, read with the built-in reader', () => {
  it('own and inherited overrides of getReader, stream() and the getters are never called', async () => {
    const touched: string[] = [];
    class MyStream extends ReadableStream<Uint8Array> {
      override getReader(): never {
        touched.push('getReader');
        throw new Error('not this one');
      }
    }
    class MyBlob extends Blob {
      override stream(): never {
        touched.push('stream');
        throw new Error('not this one');
      }
    }
    const s = new MyStream({ start: (c) => (c.enqueue(utf8('s')), c.close()) });
    Object.defineProperty(s, 'locked', { get: () => (touched.push('locked'), false) });
    const text = await measure({ s, b: new MyBlob(['b']) });
    expect(text.bytes).toBe('{"s":"s","b":"b"}'.length);
    expect(touched).toEqual([]);
  });

  it('an object that only inherits the prototypes is an ordinary object', async () => {
    const fake = Object.create(ReadableStream.prototype) as object;
    const fakeBlob = Object.assign(Object.create(Blob.prototype) as object, { x: 1 });
    expect(dumps({ fake, fakeBlob })).toBe('{"fake":{},"fakeBlob":{"x":1}}');
  });

  it('a locked stream is ERR_UNSERIALIZABLE at its path; the other reader keeps it', async () => {
    const s = streamOf([utf8('x')]);
    const reader = s.getReader();
    await expectEveryApi({ a: { s } }, { code: 'ERR_UNSERIALIZABLE', path: '$.a.s' }, undefined, { async: true });
    await expect(reader.read()).resolves.toEqual({ done: false, value: utf8('x') });
  });

  it('a stream of text that then gives something else is ERR_UNSERIALIZABLE at its path', async () => {
    await expectEveryApi(() => ({ s: streamOf(['a', 1]) }), { code: 'ERR_UNSERIALIZABLE', path: '$.s' }, undefined, { async: true });
  });
});

describe('failure and cleanup', () => {
  it('an error of the stream comes through unchanged', async () => {
    const boom = new Error('source failed');
    const failing = () => ({ s: new ReadableStream({ pull: (c) => c.error(boom) }) });
    const out = await allVariantsSettled(failing, undefined, { async: true });
    for (const r of Object.values(out)) expect(r).toMatchObject({ ok: false, error: boom });
  });

  it('when the dump fails, the stream being read is cancelled and its reader released', async () => {
    const cancelled: unknown[] = [];
    const s = new ReadableStream({ pull: (c) => c.enqueue(utf8('x'.repeat(100))), cancel: (r) => void cancelled.push(r) });
    const sink = new Writable({ write: (_c, _e, cb) => cb(new Error('disk full')) });
    await expect(dump({ s }, sink)).rejects.toThrow('disk full');
    expect(cancelled).toHaveLength(1);
    expect(s.locked).toBe(false);
  });

  it('an abort while the walk waits for a chunk cancels the stream', async () => {
    const cancelled: unknown[] = [];
    const never = new ReadableStream({ cancel: (r) => void cancelled.push(r) });
    const ac = new AbortController();
    const p = dump({ rows: [1, never] }, new Writable({ write: (_c, _e, cb) => cb() }), { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    const err = (await p.catch((e: unknown) => e)) as JSONDumpError;
    expect(err).toMatchObject({ code: 'ERR_ABORTED', path: '$.rows[1]' });
    await new Promise((r) => setTimeout(r, 10));
    expect(cancelled).toHaveLength(1);
    expect(never.locked).toBe(false);
  });

  it('an error raised while the first chunk decides (before any text of it) also cancels it', async () => {
    const cancelled: unknown[] = [];
    const s = new ReadableStream({ start: (c) => c.enqueue(1), cancel: (r) => void cancelled.push(r) });
    await expect(dump({ s }, new Writable({ write: (_c, _e, cb) => cb() }), { maxDepth: 0 })).rejects.toMatchObject({ code: 'ERR_LIMIT', path: '$.s' });
    expect(cancelled).toHaveLength(1);
    expect(s.locked).toBe(false);
  });
});

describe('memory', () => {
  it('a 64 MB stream of bytes is written in flat memory', async () => {
    const piece = utf8('0123456789abcdef'.repeat(4096)); // 64 KB
    let sent = 0;
    const big = new ReadableStream({ pull: (c) => (sent++ < 1024 ? c.enqueue(piece.slice()) : c.close()) }, { highWaterMark: 0 });
    gc?.();
    const before = process.memoryUsage();
    let peak = 0;
    let n = 0;
    const sink = new Writable({
      write: (_c, _e, cb) => {
        if (++n % 64 === 0) {
          gc?.();
          const m = process.memoryUsage();
          peak = Math.max(peak, m.heapUsed + m.arrayBuffers - before.heapUsed - before.arrayBuffers);
        }
        setImmediate(cb);
      },
    });
    const stats = await dump({ big }, sink);
    expect(stats.bytes).toBe(64 * 2 ** 20 + '{"big":""}'.length);
    expect(n).toBeGreaterThan(256);
    // Far below the 64 MB that went through: flat. (16 MB with gc was exceeded by under 1 MB
    // when the whole suite ran side by side, and never when this file ran alone.)
    expect(peak).toBeLessThan((gc ? 24 : 48) * 2 ** 20);
  });
});

describe('a Node Readable is still told apart', () => {
  it('byte and object-mode Readables keep their meaning next to Web streams', async () => {
    await expectEveryApi(
      () => ({ node: Readable.from([Buffer.from('n')], { objectMode: false }), rows: Readable.from([1, 2]), web: streamOf([utf8('w')]) }),
      '{"node":"n","rows":[1,2],"web":"w"}',
      undefined,
      { async: true },
    );
  });
});
