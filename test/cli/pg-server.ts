// The PostgreSQL server for the tests: JSONDUMP_PG_URL when set (as .ci/run does), otherwise a
// throwaway cluster started with scripts/pg.sh and stopped by the returned function.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

const SCRIPT = join(ROOT, 'scripts/pg.sh');

export interface PgServer {
  url: string;
  stop(): void;
}

export function pgServer(): PgServer {
  const given = process.env.JSONDUMP_PG_URL;
  if (given) return { url: given, stop: () => {} };
  const output = execFileSync(SCRIPT, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const vars = Object.fromEntries([...output.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  const { JSONDUMP_PG_URL: url, JSONDUMP_PG_DIR: dir } = vars;
  if (!url || !dir) throw new Error(`scripts/pg.sh start printed no URL:\n${output}`);
  return { url, stop: () => execFileSync(SCRIPT, ['stop', dir], { stdio: 'inherit' }) };
}
