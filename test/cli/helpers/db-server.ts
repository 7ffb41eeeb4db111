// A database server for the tests: the URL in an environment variable when set (as .ci/run
// does); otherwise a throwaway server started by a script in scripts/, one for the whole test
// run (the first file that asks starts it, test/helpers/run-servers.ts stops it when the run
// ends), or one per file when the run has no directory of its own to record it in.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { exportedVars, serversDir } from '../../helpers/run-servers.js';
import { RUN_TMP } from '../../helpers/temp-root.js';
import { ROOT } from './cli.js';

export interface DbServer {
  url: string;
  stop(): void;
}

/** How long a test file waits for the server another file of the run is starting. */
const START_WAIT_MS = 240_000;

/** Runs `script start` (with TMPDIR `tmp` for its directory) and returns what it printed. */
function start(script: string, tmp?: string): string {
  const env = tmp === undefined ? process.env : { ...process.env, TMPDIR: tmp };
  return execFileSync(join(ROOT, 'scripts', script), ['start'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'] });
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The start output of the run's server: started here by the first caller, waited for by the others. */
function runServerOutput(script: string, runDir: string): string {
  const dir = serversDir(runDir);
  mkdirSync(dir, { recursive: true });
  const recorded = join(dir, `${script}.env`);
  const failed = join(dir, `${script}.failed`);
  let first = true;
  try {
    mkdirSync(join(dir, `${script}.lock`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    first = false;
  }
  if (first) {
    try {
      const output = start(script, dir);
      writeFileSync(`${recorded}.part`, output);
      renameSync(`${recorded}.part`, recorded);
      return output;
    } catch (error) {
      writeFileSync(failed, String(error));
      throw error;
    }
  }
  for (const deadline = Date.now() + START_WAIT_MS; Date.now() < deadline; sleep(200)) {
    if (existsSync(recorded)) return readFileSync(recorded, 'utf8');
    if (existsSync(failed)) throw new Error(`scripts/${script} start failed in another test file: ${readFileSync(failed, 'utf8')}`);
  }
  throw new Error(`scripts/${script} start: no server after ${START_WAIT_MS / 1000} s`);
}

/** `script start` prints `export NAME=value` lines: `urlVar` and `dirVar` (given to `script stop`). */
export function dbServer(script: string, urlVar: string, dirVar: string): DbServer {
  const given = process.env[urlVar];
  if (given) return { url: given, stop: () => {} };
  if (process.env.JSONDUMP_TEST_NO_SERVERS) throw new Error(`this run starts no database server (npm run test:quick): ${urlVar} is unset`);
  const runDir = process.env[RUN_TMP];
  const output = runDir === undefined ? start(script) : runServerOutput(script, runDir);
  const vars = exportedVars(output);
  const url = vars[urlVar];
  const dir = vars[dirVar];
  if (!url || !dir) throw new Error(`scripts/${script} start printed no URL:\n${output}`);
  if (runDir !== undefined) return { url, stop: () => {} };
  return { url, stop: () => execFileSync(join(ROOT, 'scripts', script), ['stop', dir], { stdio: 'inherit' }) };
}
