// maxBytes: output longer than the limit fails with ERR_LIMIT at the path the walk has reached,
// before any byte past the limit is written; an atomic target is left as it was. The limit
// counts UTF-8 bytes, as DumpStats.bytes does. Through every API.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WritableStream } from 'node:stream/web';
import {
  createStringifyStream, createStringifyWebStream, dump, dumpLines, dumps, dumpSync, encodeTokens, JSONDumpError,
  measure, measureSync, stringifyChunks, stringifyChunksSync, type DumpOptions,
} from '../../src/index.js';
import { useTempDir } from '../helpers/io.js';

const tmp = useTempDir('maxbytes');

/** 400 records of 3-byte and 4-byte characters: bytes and characters differ. */
const rows = Array.from({ length: 400 }, (_, i) => ({ i, s: '€😀'.repeat(i % 5) }));
const TEXT = JSON.stringify(rows);
const BYTES = Buffer.byteLength(TEXT);
const LINES = rows.map((r) => JSON.stringify(r) + '\n').join('');

function sinkWritable(parts: Buffer[]): Writable {
  return new Writable({ write: (c: Buffer, _e, cb) => (parts.push(c), cb()) });
}

/** Runs `f`, keeping what it let out even when it fails. */
async function capture(f: (parts: Buffer[]) => Promise<unknown> | unknown): Promise<{ out: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  try {
    await f(parts);
    return { out: Buffer.concat(parts), error: null };
  } catch (error) {
    return { out: Buffer.concat(parts), error };
  }
}

const bytesOf = (s: string | Uint8Array): Buffer => (typeof s === 'string' ? Buffer.from(s) : Buffer.from(s));

const APIS: Record<string, (o: DumpOptions) => ReturnType<typeof capture>> = {
  dumps: (o) => capture((p) => p.push(bytesOf(dumps(rows, o)))),
  stringifyChunksSync: (o) => capture((p) => { for (const c of stringifyChunksSync(rows, o)) p.push(bytesOf(c)); }),
  stringifyChunks: (o) => capture(async (p) => { for await (const c of stringifyChunks(rows, o)) p.push(bytesOf(c)); }),
  createStringifyStream: (o) => capture((p) => pipeline(createStringifyStream(rows, o), sinkWritable(p))),
  createStringifyWebStream: (o) => capture(async (p) => { for await (const c of createStringifyWebStream(rows, o)) p.push(bytesOf(c)); }),
  'dump:Writable': (o) => capture((p) => dump(rows, sinkWritable(p), o)),
  'dump:WritableStream': (o) => capture((p) => dump(rows, new WritableStream({ write: (c: Uint8Array) => void p.push(bytesOf(c)) }), o)),
  'dump:path': (o) => capture(async (p) => { const f = tmp.file(); try { await dump(rows, f, { ...o, atomic: false }); } finally { p.push(fs.readFileSync(f)); } }),
  'dumpSync:path': (o) => capture((p) => { const f = tmp.file(); try { dumpSync(rows, f, { ...o, atomic: false }); } finally { p.push(fs.readFileSync(f)); } }),
  measure: (o) => capture(() => measure(rows, o)),
  measureSync: (o) => capture(() => measureSync(rows, o)),
};

const code = (e: unknown): string => (e instanceof JSONDumpError ? e.code : `foreign: ${String(e)}`);

describe.each(Object.keys(APIS))('%s', (api) => {
  const run = APIS[api];
  const measuring = api.startsWith('measure');

  it('a limit of exactly the output’s UTF-8 length passes, with the whole text', async () => {
    const { out, error } = await run({ maxBytes: BYTES, chunkSize: 256 });
    expect(error).toBe(null);
    if (!measuring) expect(out.toString()).toBe(TEXT);
  });

  it('one byte less: ERR_LIMIT, and nothing past the limit was let out', async () => {
    const { out, error } = await run({ maxBytes: BYTES - 1, chunkSize: 256 });
    expect(code(error)).toBe('ERR_LIMIT');
    expect((error as Error).message).toContain(`maxBytes (${BYTES - 1} bytes)`);
    expect(out.length).toBeLessThanOrEqual(BYTES - 1);
  });

  it('a limit of characters (fewer than the bytes) is too small: the limit is in bytes', async () => {
    expect(TEXT.length).toBeLessThan(BYTES);
    const { error } = await run({ maxBytes: TEXT.length, chunkSize: 256 });
    expect(code(error)).toBe('ERR_LIMIT');
  });

  it('the path is where the walk was, within one chunk of where the limit was crossed', async () => {
    const limit = Math.floor(BYTES / 2);
    // The replacer keeps the walk element by element: the path names the element reached (a
    // run of plain elements written natively is named by the walker as a whole).
    const { out, error } = await run({ maxBytes: limit, chunkSize: 256, replacer: (_k, v) => v });
    expect(code(error)).toBe('ERR_LIMIT');
    const m = /^\$\[(\d+)\]/.exec((error as JSONDumpError).path);
    expect(m).not.toBe(null);
    // the first record whose text ends past the limit
    let end = 1;
    let crossing = 0;
    while (end + Buffer.byteLength(JSON.stringify(rows[crossing])) <= limit) end += Buffer.byteLength(JSON.stringify(rows[crossing++])) + 1;
    const at = Number(m![1]);
    expect(at).toBeGreaterThanOrEqual(crossing);
    expect(at).toBeLessThanOrEqual(crossing + 256 / 10);
    if (!measuring && !api.startsWith('dumps')) expect(out.length).toBeGreaterThan(limit - 256 * 4);
  });
});

describe('with atomic (the default), a path target is untouched', () => {
  for (const [name, write] of [
    ['dump', (p: string) => dump(rows, p, { maxBytes: 1000 })],
    ['dumpSync', async (p: string) => dumpSync(rows, p, { maxBytes: 1000 })],
    ['dumpLines', (p: string) => dumpLines(rows, p, { maxBytes: 1000 })],
  ] as const) {
    it(name, async () => {
      const dir = tmp.dir();
      const p = path.join(dir, 'target.json');
      fs.writeFileSync(p, 'OLD');
      let error: unknown = null;
      try {
        await write(p);
      } catch (e) {
        error = e;
      }
      expect(code(error)).toBe('ERR_LIMIT');
      expect(fs.readFileSync(p, 'utf8')).toBe('OLD');
      expect(fs.readdirSync(dir)).toEqual(['target.json']);
    });
  }
});

describe('dumpLines and encodeTokens', () => {
  it('dumpLines: the whole JSON Lines text fits its exact length, not one byte less', async () => {
    const ok = await capture((p) => dumpLines(rows, sinkWritable(p), { maxBytes: Buffer.byteLength(LINES) }));
    expect(ok.out.toString()).toBe(LINES);
    const cut = await capture((p) => dumpLines(rows, sinkWritable(p), { maxBytes: Buffer.byteLength(LINES) - 1, chunkSize: 100 }));
    expect(code(cut.error)).toBe('ERR_LIMIT');
    expect(cut.out.length).toBeLessThan(Buffer.byteLength(LINES));
  });

  it('encodeTokens: ERR_LIMIT before the text past the limit is pushed', async () => {
    const tokens = (): Readable =>
      Readable.from([{ name: 'startArray' }, ...rows.map((r) => ({ name: 'numberValue', value: String(r.i) })), { name: 'endArray' }]);
    const all = JSON.stringify(rows.map((r) => r.i));
    const ok = await capture((p) => pipeline(tokens(), encodeTokens({ maxBytes: all.length }), sinkWritable(p)));
    expect(ok.out.toString()).toBe(all);
    const cut = await capture((p) => pipeline(tokens(), encodeTokens({ maxBytes: 500, chunkSize: 64 }), sinkWritable(p)));
    expect(code(cut.error)).toBe('ERR_LIMIT');
    expect(cut.out.length).toBeLessThanOrEqual(500);
  });
});

describe('the option', () => {
  it('takes a non-negative integer (or Infinity, no limit); anything else is ERR_BAD_OPTION', () => {
    expect(dumps([1], { maxBytes: Infinity })).toBe('[1]');
    expect(dumps([1], { maxBytes: 3 })).toBe('[1]');
    expect(() => dumps([1], { maxBytes: 0 })).toThrow(expect.objectContaining({ code: 'ERR_LIMIT', path: '$' }));
    for (const bad of [-1, 1.5, NaN, '10', 10n]) {
      expect(() => dumps([1], { maxBytes: bad as number })).toThrow(expect.objectContaining({ code: 'ERR_BAD_OPTION' }));
    }
  });
});
