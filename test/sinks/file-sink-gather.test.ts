// The file sink of dump keeps one write in flight and gathers the chunks that come meanwhile:
// a slow file system gets fewer, larger writes (bounded in size), a fast one each chunk as it
// comes, and what was gathered goes out as soon as the write before it is done, without
// waiting for more chunks (a slow source's rows reach the file), or the failure of the dump. The
// file is exact either way.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { dump } from '../../src/index.js';
import { AsyncDriver } from '../../src/drive/drive-async.js';
import { pump } from '../../src/drive/pump.js';
import { resolveOptions, type DumpOptions } from '../../src/options.js';
import { FileSink, GATHER_MAX } from '../../src/sink/file.js';
import type { FileSystem } from '../../src/sink/fs.js';
import { callerFile } from '../../src/sink/path-target.js';
import { useTempDir } from '../helpers/io.js';

const tmp = useTempDir('gather');

/** node:fs whose writes complete `ms` later; records each write's length. */
function slowWrites(ms: number): { fs: FileSystem; writes: number[] } {
  const writes: number[] = [];
  const write = (...args: unknown[]) => {
    const cb = args.pop() as (err: unknown, n?: number) => void;
    writes.push(args[3] as number);
    setTimeout(() => (fs.write as (...a: unknown[]) => void)(...args, cb), ms);
  };
  return { fs: { ...fs, write } as unknown as FileSystem, writes };
}

/** dump of `v` to the fd of `path` through `fsys`, as dump does. */
async function dumpWith(fsys: FileSystem, v: unknown, path: string, o: DumpOptions): Promise<number> {
  const fd = fs.openSync(path, 'w');
  try {
    const stats = await pump(new AsyncDriver(v, resolveOptions(o)), async () => new FileSink(callerFile(fd), { fs: fsys }), null);
    return stats.bytes;
  } finally {
    fs.closeSync(fd);
  }
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ i, name: `row ${i} é😀`, pad: 'x'.repeat(i % 97) }));

describe('dump to a file: chunks gathered behind the write in flight', () => {
  it('a slow file system gets fewer writes than chunks, none past GATHER_MAX and one chunk; the file is exact', async () => {
    const value = rows(40_000);
    const text = JSON.stringify(value);
    const chunkSize = 4096;
    const path = tmp.file();
    // Slow enough that the walk makes GATHER_MAX bytes during one write even on a busy machine
    // (at 20 ms it did not always, with the test files running side by side).
    const slow = slowWrites(150);
    const bytes = await dumpWith(slow.fs, value, path, { chunkSize });
    expect(fs.readFileSync(path, 'utf8')).toBe(text);
    expect(bytes).toBe(Buffer.byteLength(text));
    expect(slow.writes.reduce((a, b) => a + b, 0)).toBe(bytes);
    expect(slow.writes.length).toBeLessThan(text.length / chunkSize / 4);
    // A chunk holds about chunkSize characters, plus at most one plain run: 3 bytes each at most.
    for (const n of slow.writes) expect(n).toBeLessThan(GATHER_MAX + 3 * 3 * chunkSize);
    expect(Math.max(...slow.writes)).toBeGreaterThanOrEqual(GATHER_MAX);
  });

  it('what was gathered is written once the write before it is done, while the source waits', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Not plain (an instance), so the walk writes each row as it comes instead of gathering a run.
    class Row {
      text = 'é'.repeat(300);
    }
    const row = new Row();
    async function* source(): AsyncGenerator<unknown> {
      for (let i = 0; i < 50; i++) yield row;
      await gate;
      yield row;
    }
    const path = tmp.file();
    const slow = slowWrites(5);
    const done = dumpWith(slow.fs, source(), path, { chunkSize: 100 });
    // The source waits: the rows so far reach the file (all but the text the walk has not
    // handed over yet, less than a chunk), though far less than GATHER_MAX was gathered.
    const final = JSON.stringify(Array(51).fill(row));
    const rowsSoFar = '[' + Array(49).fill(JSON.stringify(row)).join(',');
    const written = () => fs.readFileSync(path, 'utf8');
    for (let t = 0; t < 300 && written().length < rowsSoFar.length; t++) await new Promise((r) => setTimeout(r, 10));
    expect(written().length).toBeGreaterThanOrEqual(rowsSoFar.length);
    expect(final.startsWith(written())).toBe(true);
    expect(slow.writes.length).toBeGreaterThan(1);
    release();
    await done;
    expect(written()).toBe(final);
  });

  it('a dump that fails still writes what was taken before the failure to a kept file, before it rejects', async () => {
    const boom = new Error('toJSON failed');
    const value = Array.from({ length: 40_000 }, (_, i) => (i === 30_000 ? { toJSON: () => { throw boom; } } : { i, pad: 'x'.repeat(100) }));
    const before = JSON.stringify(value.slice(0, 30_000)).slice(0, -1); // without the closing bracket
    const path = tmp.file();
    const slow = slowWrites(20);
    await expect(dumpWith(slow.fs, value, path, { chunkSize: 4096 })).rejects.toBe(boom);
    const written = fs.readFileSync(path, 'latin1');
    expect(before.startsWith(written)).toBe(true);
    // All but the text the walk had not handed over: less than a chunk and a plain run.
    expect(written.length).toBeGreaterThan(before.length - 65536);
    expect(before.length - written.length).toBeLessThan(GATHER_MAX);
  });

  it('dump to a path: the same bytes as JSON.stringify, whatever the chunk size', async () => {
    const value = rows(5000);
    for (const chunkSize of [1, 100, 65536]) {
      const path = tmp.file();
      const stats = await dump(value, path, { chunkSize });
      expect(fs.readFileSync(path, 'utf8')).toBe(JSON.stringify(value));
      expect(stats.bytes).toBe(fs.statSync(path).size);
    }
  });
});
