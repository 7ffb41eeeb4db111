import { writeSync } from 'node:fs';
import { badOption } from '../errors.js';
import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';
import { openPathSync } from '../sink/path.js';
import { Utf8Buffers } from '../encode/pieces.js';
import { SyncDriver } from './drive-sync.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `buf`, waiting out EAGAIN on non-blocking pipes, as sonic-boom does. */
function writeAllSync(fd: number, buf: Buffer): void {
  let offset = 0;
  while (offset < buf.length) {
    try {
      offset += writeSync(fd, buf, offset, buf.length - offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}

/** Writes the JSON text of `value` to a path or fd with sync writes, chunk by chunk. */
export function dumpSync(value: unknown, destination: string | URL | number, options?: DumpOptions): DumpStats {
  const o = resolveOptions(options);
  let target: { fd: number; finish(): void; fail(): void };
  if (typeof destination === 'number' && Number.isInteger(destination) && destination >= 0) {
    target = { fd: destination, finish() {}, fail() {} };
  } else if (typeof destination === 'string' || destination instanceof URL) {
    target = openPathSync(destination, o.atomic);
  } else {
    throw badOption('dumpSync() writes to a path, a file: URL or a file descriptor');
  }
  const driver = new SyncDriver(value, o);
  const w = driver.walker;
  let bytes = 0;
  try {
    const utf8 = new Utf8Buffers();
    let chunk: string[] | null;
    while ((chunk = driver.next()) !== null) {
      const buf = utf8.encode(chunk);
      writeAllSync(target.fd, buf);
      bytes += buf.length;
      o.onProgress?.({ bytes, values: w.values, items: w.items });
    }
    target.finish();
  } catch (err) {
    driver.abort();
    target.fail();
    throw err;
  }
  return { bytes, values: w.values, items: w.items };
}
