import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Lets `write` fill a temporary file beside `path`, syncs it and renames it over `path`: a reader
 * sees the old file or the complete new one, never a part. On failure the temporary file is removed.
 * A replaced file keeps its permissions, as with the library's path destinations.
 */
export async function writeFileAtomically(path: string, write: (out: Writable) => Promise<void>): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = await stat(path).then((s) => s.mode & 0o7777, () => null);
  try {
    await write(createWriteStream(temp, { flags: 'wx' }));
    if (mode !== null) await chmod(temp, mode);
    // the stream closed its descriptor when done; durability needs an fsync before the rename
    await fsyncFile(temp);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
