import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * Lets `write` fill a temporary file beside `path`, syncs it and renames it over `path`: a reader
 * sees the old file or the complete new one, never a part. On failure the temporary file is removed.
 */
export async function writeFileAtomically(path: string, write: (out: Writable) => Promise<void>): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temp, 'wx');
  let closed = false;
  try {
    await write(file.createWriteStream({ autoClose: false }));
    await file.sync();
    await file.close();
    closed = true;
    await rename(temp, path);
  } catch (error) {
    if (!closed) await file.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}
