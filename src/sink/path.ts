import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, chmodSync } from 'node:fs';
import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { badOption } from '../errors.js';
import { FileSink, fdWriter } from './file.js';

/** The file path a string or file: URL names. */
export function toPath(dest: string | URL): string {
  if (typeof dest === 'string') return dest;
  if (dest.protocol !== 'file:') throw badOption(`destination URL must be a file: URL, got ${dest.protocol}`);
  return fileURLToPath(dest);
}

/** A temporary name beside `target`, so the final rename stays on one file system. */
function tempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

async function existingMode(target: string): Promise<number | null> {
  try {
    return (await stat(target)).mode & 0o7777;
  } catch {
    return null;
  }
}

/**
 * A path destination. Atomic: written to a temporary file beside the target, fsynced and
 * renamed over it, so a reader never sees half a file; on failure the temporary file goes.
 */
export async function openPath(dest: string | URL, atomic: boolean): Promise<FileSink> {
  const target = toPath(dest);
  if (!atomic) {
    const fh = await open(target, 'w');
    return new FileSink(fdWriter(fh.fd), () => fh.close(), () => fh.close());
  }
  const temp = tempPath(target);
  const fh = await open(temp, 'wx');
  const mode = await existingMode(target);
  return new FileSink(
    fdWriter(fh.fd),
    async () => {
      try {
        if (mode !== null) await chmod(temp, mode);
        await fh.sync();
        await fh.close();
        await rename(temp, target);
      } catch (err) {
        await fh.close().catch(() => {});
        await unlink(temp).catch(() => {});
        throw err;
      }
    },
    async () => {
      await fh.close().catch(() => {});
      await unlink(temp).catch(() => {});
    },
    fh.fd,
  );
}

/** The sync counterpart of openPath, for dumpSync. */
export function openPathSync(dest: string | URL, atomic: boolean): { fd: number; finish(): void; fail(): void } {
  const target = toPath(dest);
  if (!atomic) {
    const fd = openSync(target, 'w');
    return { fd, finish: () => closeSync(fd), fail: () => closeSync(fd) };
  }
  const temp = tempPath(target);
  const fd = openSync(temp, 'wx');
  let mode: number | null = null;
  try {
    mode = statSync(target).mode & 0o7777;
  } catch {
    // No file there yet: the new one gets the default mode.
  }
  const fail = () => {
    try {
      closeSync(fd);
    } catch {
      // Already closed by a failed finish.
    }
    try {
      unlinkSync(temp);
    } catch {
      // Nothing left to remove.
    }
  };
  return {
    fd,
    finish: () => {
      try {
        if (mode !== null) chmodSync(temp, mode);
        fsyncSync(fd);
        closeSync(fd);
        renameSync(temp, target);
      } catch (err) {
        fail();
        throw err;
      }
    },
    fail,
  };
}
