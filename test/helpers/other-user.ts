// Running the built CLI as another user, for what a user without write access sees: root writes
// anywhere, so when the tests run as root the process runs as nobody. That user may not be able
// to read the checkout (a clone in a private home directory or in a `mktemp -d`), so it runs a
// copy of dist/ in a world-readable temporary directory, never the checkout's own files.
import { chmodSync, copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** nobody and nogroup on Linux. */
const NOBODY = { uid: 65534, gid: 65534 };

export interface OtherUser {
  /** The CLI's entry point in the readable copy (made before the file's tests). */
  readonly cli: string;
  /** Spawn options that run a process as that user: nobody's ids as root, none otherwise. */
  readonly ids: { uid?: number; gid?: number };
}

/** A readable copy of the built CLI, made before the file's tests and removed after them. */
export function useOtherUser(): OtherUser {
  let copy = '';
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'jsondump-cli-copy-'));
    chmodSync(copy, 0o755);
    cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    // "type": "module": dist/ holds ES modules
    copyFileSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
  });
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });
  return {
    get cli() {
      return join(copy, 'dist', 'cli', 'main.js');
    },
    ids: process.getuid?.() === 0 ? NOBODY : {},
  };
}
