// Nothing hangs: a destination that cannot take more, or that failed before the dump began,
// and a consumer that stopped reading, still let a dump or a stream settle when it fails or is
// aborted.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createStringifyStream, dump, JSONDumpError } from '../../src/index.js';
import { useTempDir } from '../helpers/io.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { rejection } from '../helpers/rejection.js';

const tmp = useTempDir('hangs');
const events = recordProcessEvents({ uncaught: true });

/** Each test settles well within this; a hang is the failure this file guards against. */
const HANG = 10_000;

const big = Array.from({ length: 50_000 }, (_, i) => ({ i, pad: 'p'.repeat(40) })); // ~2.5 MB

const code = (e: unknown): string => (e instanceof JSONDumpError ? `${e.code}` : `foreign: ${String(e)}`);

describe('a Writable that already failed (autoDestroy: false)', () => {
  it('dump rejects with its error, without writing', async () => {
    const failure = new Error('disk gone');
    let writes = 0;
    const w = new Writable({
      autoDestroy: false,
      write(_c, _e, cb) {
        writes++;
        cb(failure);
      },
    });
    w.on('error', () => {});
    w.write('x');
    await once(w, 'error');
    expect(w.destroyed).toBe(false);
    expect(await rejection(dump(big, w))).toBe(failure);
    expect(writes).toBe(1);
  }, HANG);
});

describe('aborting a dump to a pipe nobody reads', () => {
  /** A FIFO opened read-write (so no open blocks) that nobody reads: writes fill it, then wait. */
  function unreadPipe(flags: number): { fd: number; fifo: string } {
    const fifo = path.join(tmp.dir(), 'fifo');
    execFileSync('mkfifo', [fifo]);
    return { fd: fs.openSync(fifo, flags), fifo };
  }

  /** Reads the FIFO until no more comes, so a write blocked in the thread pool can end. */
  async function drain(fifo: string): Promise<void> {
    const fd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const buf = Buffer.alloc(1 << 16);
    let quiet = 0;
    while (quiet < 20) {
      try {
        quiet = fs.readSync(fd, buf) > 0 ? 0 : quiet + 1;
      } catch {
        quiet++;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    fs.closeSync(fd);
  }

  for (const [what, flags] of [
    ['a blocking fd (the write waits in the kernel)', fs.constants.O_RDWR],
    ['a non-blocking fd (every write refused with EAGAIN)', fs.constants.O_RDWR | fs.constants.O_NONBLOCK],
  ] as const) {
    it(`${what}: dump rejects with ERR_ABORTED`, async () => {
      const { fd, fifo } = unreadPipe(flags);
      try {
        const ac = new AbortController();
        setTimeout(() => ac.abort(), 100);
        const err = await rejection(dump(big, fd, { signal: ac.signal }));
        expect(code(err)).toBe('ERR_ABORTED');
      } finally {
        await drain(fifo);
        fs.closeSync(fd);
      }
    }, HANG);
  }
});

describe('aborting createStringifyStream while its consumer is paused', () => {
  it('destroys the stream with ERR_ABORTED and closes the walk', async () => {
    let finalized = false;
    function* rows(): Generator<unknown> {
      try {
        yield* big;
      } finally {
        finalized = true;
      }
    }
    const ac = new AbortController();
    const s = createStringifyStream(rows(), { signal: ac.signal, chunkSize: 1000 });
    const errored = once(s, 'error');
    await once(s, 'readable');
    expect(s.read()).not.toBeNull(); // one chunk taken, then nothing is read any more
    await settle();
    ac.abort();
    const [err] = await errored;
    expect(code(err)).toBe('ERR_ABORTED');
    expect(s.destroyed).toBe(true);
    expect(finalized).toBe(true);
    await settle();
    expect(events.uncaught).toEqual([]);
    expect(events.unhandled).toEqual([]);
  }, HANG);
});
