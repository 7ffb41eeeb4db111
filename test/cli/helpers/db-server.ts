// A database server for the tests: the URL in an environment variable when set (as .ci/run
// does), otherwise a throwaway server started by a script in scripts/ and stopped by stop().
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export interface DbServer {
  url: string;
  stop(): void;
}

/** `script start` prints `export NAME=value` lines: `urlVar` and `dirVar` (given to `script stop`). */
export function dbServer(script: string, urlVar: string, dirVar: string): DbServer {
  const given = process.env[urlVar];
  if (given) return { url: given, stop: () => {} };
  const path = join(ROOT, 'scripts', script);
  const output = execFileSync(path, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const vars = Object.fromEntries([...output.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  const url = vars[urlVar];
  const dir = vars[dirVar];
  if (!url || !dir) throw new Error(`scripts/${script} start printed no URL:\n${output}`);
  return { url, stop: () => execFileSync(path, ['stop', dir], { stdio: 'inherit' }) };
}
