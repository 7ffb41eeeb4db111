// Where the records' documents go: one output (stdout or -o FILE), or numbered parts with a
// manifest. Parts are staged under hidden names and renamed into place together once every
// one is complete, then the manifest is written: a failure leaves neither parts nor manifest.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { dump } from '../../index.js';
import { COMPRESSED } from './compression.js';
import { openFile, stdoutOutput, type Output } from './output-file.js';

/** Where successive documents go. */
export interface Target {
  /** The output of the next document (the only one, unless the target splits). */
  next(): Promise<Output>;
  /** Called once the document in `output` is complete, with the records it holds. */
  done(output: Output, rows: number): Promise<void>;
  /** After the last document: puts the parts and the manifest in place. */
  commit(): Promise<void>;
  /** Discards everything written. Never rejects. */
  abort(): Promise<void>;
}

/** stdout or one file. */
export function singleTarget(path: string | null, atomic: boolean): Target {
  let output: Output | null = null;
  return {
    async next() {
      output = path === null ? stdoutOutput() : await openFile(path, { atomic, measure: false });
      return output;
    },
    async done(o) {
      await o.finish();
    },
    async commit() {},
    async abort() {
      await output?.abort();
    },
  };
}

/** `out.jsonl.gz` → name of part n `out-00001.jsonl.gz`, manifest `out.manifest.json`. */
export function partNames(path: string): { part: (n: number) => string; manifest: string } {
  const dir = dirname(path);
  const name = basename(path);
  const compression = COMPRESSED.exec(name)?.[0] ?? '';
  const plain = name.slice(0, name.length - compression.length);
  const dot = plain.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [plain.slice(0, dot), plain.slice(dot)] : [plain, ''];
  return {
    part: (n) => join(dir, `${stem}-${String(n).padStart(5, '0')}${extension}${compression}`),
    manifest: join(dir, `${stem}.manifest.json`),
  };
}

interface Part {
  path: string;
  staged: string;
  output: Output;
  rows: number;
  bytes: number;
  sha256: string;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Numbered parts beside `path`, then `<stem>.manifest.json` listing them. */
export function splitTarget(path: string, atomic: boolean, guard: (path: string) => void): Target {
  const names = partNames(path);
  const tag = `${process.pid}.${randomBytes(6).toString('hex')}`;
  const parts: Part[] = [];
  const renamed: Part[] = [];
  let current: Part | null = null;
  // Without --no-atomic each part is written under a hidden name first (fsynced when it is complete)
  const staging = (part: string) => (atomic ? join(dirname(part), `.${basename(part)}.${tag}.part`) : part);
  return {
    async next() {
      // A manifest left from an earlier export must not describe parts being replaced
      if (parts.length === 0 && !atomic) await unlink(names.manifest).catch(() => {});
      const path = names.part(parts.length + 1);
      guard(path);
      const staged = staging(path);
      const output = await openFile(staged, { atomic, measure: true, finalName: path });
      current = { path, staged, output, rows: 0, bytes: 0, sha256: '' };
      parts.push(current);
      return output;
    },
    async done(output, rows) {
      const part = parts.find((p) => p.output === output) as Part;
      const written = await output.finish();
      Object.assign(part, { rows, bytes: written.bytes, sha256: written.sha256 });
      current = null;
    },
    async commit() {
      if (atomic) {
        await unlink(names.manifest).catch(() => {});
        for (const part of parts) {
          await rename(part.staged, part.path);
          renamed.push(part);
        }
        await syncDirectory(dirname(path));
      }
      const manifest = {
        files: parts.map((p) => ({ name: basename(p.path), rows: p.rows, bytes: p.bytes, sha256: p.sha256 })),
        rows: parts.reduce((n, p) => n + p.rows, 0),
        bytes: parts.reduce((n, p) => n + p.bytes, 0),
      };
      await dump(manifest, names.manifest, { indent: 2, atomic });
    },
    async abort() {
      await current?.output.abort();
      // Complete parts are under their staged (without atomic, final) names; a commit that failed
      // halfway has renamed some into place
      const left = parts.filter((p) => p !== current).map((p) => (renamed.includes(p) ? p.path : p.staged));
      await Promise.all(left.map((file) => unlink(file).catch(() => {})));
    },
  };
}
