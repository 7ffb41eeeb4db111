// Faults of the file system, injected through the fs the file sinks take (test/helpers/fake-fs):
// a full non-blocking pipe (EAGAIN), a busy file (EBUSY), an I/O error (EIO), short writes, a
// full disk at the final fsync (ENOSPC), and the fsyncs an atomic write owes. dump and dumpSync,
// to a path and to a file descriptor, each run through the same driver and sink as the public
// functions do, with the fake fs in place of node:fs.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dump, dumpSync } from '../../src/index.js';
import { AsyncDriver } from '../../src/drive/drive-async.js';
import { SyncDriver } from '../../src/drive/drive-sync.js';
import { pump, pumpSync } from '../../src/drive/pump.js';
import { resolveOptions } from '../../src/options.js';
import { FileSink, FileSinkSync } from '../../src/sink/file.js';
import { runAsync, runSync } from '../../src/sink/fs.js';
import { callerFile, openFile } from '../../src/sink/path-target.js';
import { FD_RETRY, retryDelay, type RetryPolicy } from '../../src/sink/retry.js';
import { JSONDumpError, type DumpOptions, type DumpStats } from '../../src/index.js';
import { fakeFs, type FakeFs, type Script } from '../helpers/fake-fs.js';
import { useTempDir } from '../helpers/io.js';

const tmp = useTempDir('faults');

/** Retries without pauses, five at most: the same loop as FD_RETRY, quick to exhaust. */
const QUICK: RetryPolicy = { attempts: 5, firstDelay: 0, maxDelay: 0 };

const value = Array.from({ length: 2000 }, (_, i) => ({ i, name: `row ${i} é😀`, ok: i % 2 === 0 }));
const text = JSON.stringify(value);
const OLD = 'OLD CONTENT\n';

type Way = 'dump' | 'dumpSync';
const WAYS: Way[] = ['dump', 'dumpSync'];

/** dump (or dumpSync) of `v` to the path `p` through the fake fs. */
async function dumpPath(way: Way, fake: FakeFs, v: unknown, p: string, retry = QUICK, o: DumpOptions = {}): Promise<DumpStats> {
  const r = resolveOptions({ chunkSize: 1000, ...o });
  const io = { fs: fake.fs, retry };
  if (way === 'dumpSync') return pumpSync(new SyncDriver(v, r), new FileSinkSync(runSync(openFile(p, r.atomic), fake.fs), io), null);
  return pump(new AsyncDriver(v, r), async () => new FileSink(await runAsync(openFile(p, r.atomic), fake.fs), io), null);
}

/** dump (or dumpSync) of `v` to the caller's fd through the fake fs. */
async function dumpFd(way: Way, fake: FakeFs, v: unknown, fd: number, retry = QUICK, o: DumpOptions = {}): Promise<DumpStats> {
  const r = resolveOptions({ chunkSize: 1000, ...o });
  const io = { fs: fake.fs, retry };
  if (way === 'dumpSync') return pumpSync(new SyncDriver(v, r), new FileSinkSync(callerFile(fd), io), null);
  return pump(new AsyncDriver(v, r), async () => new FileSink(callerFile(fd), io), null);
}

/** A directory holding only target.json with the OLD content. */
function oldTarget(): { dir: string; p: string } {
  const dir = tmp.dir();
  const p = path.join(dir, 'target.json');
  fs.writeFileSync(p, OLD);
  return { dir, p };
}

function expectUntouched(dir: string, p: string): void {
  expect(fs.readFileSync(p, 'utf8')).toBe(OLD);
  expect(fs.readdirSync(dir)).toEqual(['target.json']);
}

async function failure(p: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  try {
    await p;
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
  throw new Error('expected the dump to fail');
}

/** Fails the first `n` writes with `code`, then lets them through. */
const firstWrites = (n: number, code: string): Script => (c) => (c.op === 'write' && c.n <= n ? code : undefined);

describe.each(WAYS)('%s: a refused write is retried, a bounded number of times', (way) => {
  for (const code of ['EAGAIN', 'EBUSY']) {
    it(`${code} for a while (a full non-blocking pipe): retried until the data goes through`, async () => {
      const { p } = oldTarget();
      const fake = fakeFs(firstWrites(4, code));
      const stats = await dumpPath(way, fake, value, p);
      expect(fs.readFileSync(p, 'utf8')).toBe(text);
      expect(stats.bytes).toBe(Buffer.byteLength(text));
      expect(fake.of('write').filter((c) => c.result === code)).toHaveLength(4);
    });

    it(`${code} forever: fails with that error after policy.attempts retries; the target is untouched`, async () => {
      const { dir, p } = oldTarget();
      const fake = fakeFs((c) => (c.op === 'write' ? code : undefined));
      const err = await failure(dumpPath(way, fake, value, p));
      expect(err.code).toBe(code);
      expect(fake.of('write')).toHaveLength(1 + QUICK.attempts);
      expectUntouched(dir, p);
    });
  }

  it('the count starts again after a write that goes through', async () => {
    const { p } = oldTarget();
    // Every write is refused QUICK.attempts times first: never more in a row than allowed.
    let refusedInARow = 0;
    const fake = fakeFs((c) => {
      if (c.op !== 'write') return undefined;
      if (refusedInARow < QUICK.attempts) {
        refusedInARow++;
        return 'EAGAIN';
      }
      refusedInARow = 0;
      return undefined;
    });
    await dumpPath(way, fake, value, p);
    expect(fs.readFileSync(p, 'utf8')).toBe(text);
  });

  it('a write that takes nothing is a refusal too: bounded, not an endless loop', async () => {
    const { dir, p } = oldTarget();
    const fake = fakeFs((c) => (c.op === 'write' ? 0 : undefined));
    const err = await failure(dumpPath(way, fake, value, p));
    expect(err.code).toBe('EAGAIN');
    expect(err.message).toMatch(/accepted no bytes/);
    expect(fake.of('write')).toHaveLength(1 + QUICK.attempts);
    expectUntouched(dir, p);
  });

  it('to a file descriptor: EAGAIN retried, the caller’s fd left open', async () => {
    const p = tmp.file();
    const fd = fs.openSync(p, 'w');
    try {
      const fake = fakeFs(firstWrites(3, 'EAGAIN'));
      await dumpFd(way, fake, value, fd);
      expect(fs.readFileSync(p, 'utf8')).toBe(text);
      expect(fake.of('close')).toEqual([]);
      expect(() => fs.fstatSync(fd)).not.toThrow();
    } finally {
      fs.closeSync(fd);
    }
  });
});

describe.each(WAYS)('%s: other write errors fail at once', (way) => {
  it('EIO: no retry, the original error, the target untouched and no temporary file', async () => {
    const { dir, p } = oldTarget();
    // The second write: dump may gather every chunk after the first into it.
    const fake = fakeFs((c) => (c.op === 'write' && c.n === 2 ? 'EIO' : undefined));
    const err = await failure(dumpPath(way, fake, value, p));
    expect(err.code).toBe('EIO');
    expect(err).not.toBeInstanceOf(JSONDumpError);
    expect(fake.of('write')).toHaveLength(2);
    expectUntouched(dir, p);
    // The file the sink opened is closed.
    expect(fake.of('close').map((c) => c.args[0])).toContain(fake.of('write')[0].args[0]);
  });

  it('short writes (at most 7 bytes each): the rest is written, the file is complete', async () => {
    const { p } = oldTarget();
    const fake = fakeFs((c) => (c.op === 'write' ? 7 : undefined));
    const small = value.slice(0, 50);
    const stats = await dumpPath(way, fake, small, p);
    expect(fs.readFileSync(p, 'utf8')).toBe(JSON.stringify(small));
    const writes = fake.of('write');
    expect(writes.every((c) => (c.value as number) <= 7)).toBe(true);
    expect(writes.reduce((sum, c) => sum + (c.value as number), 0)).toBe(stats.bytes);
  });

  it('ENOSPC at the final fsync: fails with it before the rename; the target untouched, no temporary file', async () => {
    const { dir, p } = oldTarget();
    const fake = fakeFs((c) => (c.op === 'fsync' ? 'ENOSPC' : undefined));
    const err = await failure(dumpPath(way, fake, value, p));
    expect(err.code).toBe('ENOSPC');
    expect(fake.of('rename')).toEqual([]);
    expectUntouched(dir, p);
  });

  it('a failing rename: the original error, the temporary file removed', async () => {
    const { dir, p } = oldTarget();
    const fake = fakeFs((c) => (c.op === 'rename' ? 'EXDEV' : undefined));
    const err = await failure(dumpPath(way, fake, value, p));
    expect(err.code).toBe('EXDEV');
    expectUntouched(dir, p);
  });
});

describe.each(WAYS)('%s: what an atomic write owes the disk', (way) => {
  it('fsync of the file, then rename, then fsync of the directory', async () => {
    const { dir, p } = oldTarget();
    const fake = fakeFs();
    await dumpPath(way, fake, value, p);
    const order = fake.calls.filter((c) => c.op === 'fsync' || c.op === 'rename' || (c.op === 'open' && c.args[0] === dir));
    expect(order.map((c) => c.op)).toEqual(['fsync', 'rename', 'open', 'fsync']);
    const dirOpen = order[2];
    expect(dirOpen.args[0]).toBe(dir);
    expect(order[0].args[0]).toBe(fake.of('write')[0].args[0]);
    expect(order[3].args[0]).toBe(dirOpen.value);
    expect(fs.readFileSync(p, 'utf8')).toBe(text);
  });

  it('atomic: false and a caller’s fd owe no fsync', async () => {
    const { p } = oldTarget();
    const fake = fakeFs();
    await dumpPath(way, fake, value, p, QUICK, { atomic: false });
    expect(fake.of('fsync')).toEqual([]);
    expect(fake.of('rename')).toEqual([]);
    expect(fs.readFileSync(p, 'utf8')).toBe(text);
  });
});

describe('dump: the background fdatasync of a large atomic write', () => {
  // 8 MiB between background syncs; about 20 MB of output.
  const big = Array.from({ length: 200_000 }, (_, i) => ({ i, pad: 'x'.repeat(90) }));

  it('runs while the file is written, before the final fsync', async () => {
    const { p } = oldTarget();
    const fake = fakeFs();
    const stats = await dumpPath('dump', fake, big, p, QUICK, { chunkSize: 65536 });
    expect(stats.bytes).toBeGreaterThan(16 << 20);
    const syncs = fake.of('fdatasync');
    expect(syncs.length).toBeGreaterThanOrEqual(1);
    const firstSync = fake.calls.indexOf(syncs[0]);
    const lastWrite = fake.calls.lastIndexOf(fake.of('write').at(-1)!);
    expect(firstSync).toBeLessThan(lastWrite);
    expect(fs.statSync(p).size).toBe(stats.bytes);
  });

  it('its failure (EIO) fails the dump; the target untouched', async () => {
    const { dir, p } = oldTarget();
    const fake = fakeFs((c) => (c.op === 'fdatasync' ? 'EIO' : undefined));
    const err = await failure(dumpPath('dump', fake, big, p, QUICK, { chunkSize: 65536 }));
    expect(err.code).toBe('EIO');
    expectUntouched(dir, p);
  });
});

describe('the retry bound', () => {
  it('the default policy gives up after about 30 s of refusals in a row, pausing at most 100 ms', () => {
    let total = 0;
    for (let n = 1; n <= FD_RETRY.attempts; n++) {
      const d = retryDelay(FD_RETRY, n);
      expect(d).toBeGreaterThan(0);
      expect(d).toBeLessThanOrEqual(100);
      total += d;
    }
    expect(total).toBeGreaterThan(25_000);
    expect(total).toBeLessThan(35_000);
  });

  it('dump: an abort while a write waits to be retried ends the dump with ERR_ABORTED, no wait for the bound', async () => {
    const { dir, p } = oldTarget();
    const fake = fakeFs((c) => (c.op === 'write' ? 'EAGAIN' : undefined));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const started = Date.now();
    const err = await failure(dumpPath('dump', fake, value, p, FD_RETRY, { signal: ac.signal }));
    expect((err as unknown as JSONDumpError).code).toBe('ERR_ABORTED');
    expect(Date.now() - started).toBeLessThan(10_000);
    expectUntouched(dir, p);
  });
});

describe('the retry bound, once the walk is done', () => {
  it('dump: an abort while the last write waits to be retried ends the dump with ERR_ABORTED, no wait for the bound', async () => {
    const { dir, p } = oldTarget();
    const fake = fakeFs((c) => (c.op === 'write' ? 'EAGAIN' : undefined));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const started = Date.now();
    const err = await failure(dumpPath('dump', fake, [1, 2, 3], p, FD_RETRY, { signal: ac.signal }));
    expect((err as unknown as JSONDumpError).code).toBe('ERR_ABORTED');
    expect(Date.now() - started).toBeLessThan(10_000);
    expectUntouched(dir, p);
  });
});

describe('a real non-blocking pipe whose reader starts late (EAGAIN from the kernel)', () => {
  /** A FIFO read by a child that waits 300 ms before reading; the write end opened O_NONBLOCK. */
  async function slowPipe(): Promise<{ fd: number; done: Promise<string> }> {
    const dir = tmp.dir();
    const fifo = path.join(dir, 'fifo');
    const out = path.join(dir, 'out');
    execFileSync('mkfifo', [fifo]);
    const child = spawn('sh', ['-c', 'exec 3<"$1"; sleep 0.3; cat <&3 >"$2"', 'sh', fifo, out], { stdio: 'ignore' });
    const done = new Promise<string>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => resolve(fs.readFileSync(out, 'utf8')));
    });
    // Opening the write end without blocking fails (ENXIO) until the child has the read end open.
    for (;;) {
      try {
        return { fd: fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK), done };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }

  const big = Array.from({ length: 20_000 }, (_, i) => ({ i, pad: 'p'.repeat(40) }));

  it('dumpSync to its fd writes everything', async () => {
    const { fd, done } = await slowPipe();
    const stats = dumpSync(big, fd);
    fs.closeSync(fd);
    expect(stats.bytes).toBeGreaterThan(1 << 20); // far more than the pipe holds
    expect(await done).toBe(JSON.stringify(big));
  });

  it('dump to its fd writes everything', async () => {
    const { fd, done } = await slowPipe();
    await dump(big, fd);
    fs.closeSync(fd);
    expect(await done).toBe(JSON.stringify(big));
  });
});
