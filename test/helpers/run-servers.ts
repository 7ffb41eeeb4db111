// vitest globalSetup: the database servers a test run started for itself are stopped when it
// ends. Where JSONDUMP_PG_URL / JSONDUMP_MYSQL_URL are unset, the first test file that needs a
// server starts one (test/cli/helpers/db-server.ts) and records it here, in the run's temporary
// directory; every later file of the run uses it. Listed after temp-root.ts, so this teardown
// runs before the check that the run left nothing in that directory.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_TMP } from './temp-root.js';

const SCRIPTS = fileURLToPath(new URL('../../scripts/', import.meta.url));

/** The directory that records the run's servers: `<script>.env` holds what `<script> start` printed. */
export function serversDir(runDir: string): string {
  return path.join(runDir, 'servers');
}

/** The `export NAME=value` lines a start script prints, as an object. */
export function exportedVars(output: string): Record<string, string> {
  return Object.fromEntries([...output.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

function stopAll(dir: string): void {
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.env'))) {
    const script = name.slice(0, -'.env'.length);
    const vars = exportedVars(fs.readFileSync(path.join(dir, name), 'utf8'));
    const serverDir = Object.entries(vars).find(([key]) => key.endsWith('_DIR'))?.[1];
    if (serverDir !== undefined) execFileSync(path.join(SCRIPTS, script), ['stop', serverDir], { stdio: 'inherit' });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

export default function setup(): () => void {
  return () => {
    const runDir = process.env[RUN_TMP];
    if (runDir !== undefined && fs.existsSync(serversDir(runDir))) stopAll(serversDir(runDir));
  };
}
