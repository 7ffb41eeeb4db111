// The MariaDB server for the tests: JSONDUMP_MYSQL_URL when set (as .ci/run does), otherwise a
// throwaway server started with scripts/mariadb.sh and stopped by the returned function.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

const SCRIPT = join(ROOT, 'scripts/mariadb.sh');

export interface MysqlServer {
  url: string;
  stop(): void;
}

export function mysqlServer(): MysqlServer {
  const given = process.env.JSONDUMP_MYSQL_URL;
  if (given) return { url: given, stop: () => {} };
  const output = execFileSync(SCRIPT, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const vars = Object.fromEntries([...output.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  const { JSONDUMP_MYSQL_URL: url, JSONDUMP_MYSQL_DIR: dir } = vars;
  if (!url || !dir) throw new Error(`scripts/mariadb.sh start printed no URL:\n${output}`);
  return { url, stop: () => execFileSync(SCRIPT, ['stop', dir], { stdio: 'inherit' }) };
}
