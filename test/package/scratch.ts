// A scratch project with the packed tarball installed, as a user's `npm install jsondump` leaves
// it: `npm pack` of this checkout (its dist/ as `npm test`'s tsc built it), installed with
// `--offline`, which succeeds only because the package has no dependencies to fetch.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'node_modules', '.bin');

export interface Scratch {
  /** The scratch project's directory. */
  readonly dir: string;
  /** The packed tarball. */
  readonly tarball: string;
  /** The installed package, `<dir>/node_modules/jsondump`. */
  readonly installed: string;
  /** What `npm install` of the tarball printed on stderr (its warnings). */
  readonly installLog: string;
  /** Writes `files` (name → text) into the project. */
  write(files: Record<string, string>): void;
  /** Runs a command in the project; fails the test with its output if it does not exit 0. */
  run(command: string, args: string[], env?: Record<string, string>): SpawnSyncReturns<string>;
  /** Runs a command in the project and returns whatever it did. */
  spawn(command: string, args: string[], env?: Record<string, string>): SpawnSyncReturns<string>;
}

function spawn(cwd: string, command: string, args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, ...env } });
}

function check(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Packs the checkout and installs the tarball into a fresh project (before the file's tests). */
export function useScratchInstall(label: string): Scratch {
  let base = ''; // the temporary directory: tarball and project; removed after the file's tests
  let dir = '';
  let tarball = '';
  let installLog = '';
  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), `jsondump-${label}-`));
    const packed = check(spawn(ROOT, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', base]), 'npm pack');
    tarball = path.join(base, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
    dir = path.join(base, 'project');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
    installLog = check(spawn(dir, 'npm', ['install', '--offline', '--no-audit', '--no-fund', tarball]), 'npm install --offline').stderr;
  });
  afterAll(() => {
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get tarball() {
      return tarball;
    },
    get installed() {
      return path.join(dir, 'node_modules', 'jsondump');
    },
    get installLog() {
      return installLog;
    },
    write(files) {
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    },
    run: (command, args, env) => check(spawn(dir, command, args, env), `${command} ${args.join(' ')}`),
    spawn: (command, args, env) => spawn(dir, command, args, env),
  };
}
