// Job module: the everyday mix of mixed.js in MariaDB (MySQL has no arrays: tags is a JSON
// column, as is prefs) to JSON Lines. Contenders: `mariadb -N -r -e "select json_object(…) from
// t"` (the C tool; -r so that its batch mode does not escape the JSON's backslashes) and
// jsondump export --lines. The server is JSONDUMP_MYSQL_URL, or one scripts/mariadb.sh starts
// and stops.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIXED, checkLines } from '../mixed.js';
import { ensureTool, versionOf } from '../tools.js';

const CREATE = `CREATE TABLE mixed (id BIGINT PRIMARY KEY, account BIGINT, name TEXT, amount DOUBLE, price DECIMAL(20,2),
  at TIMESTAMP(6) NULL, tags JSON, active BOOLEAN, prefs JSON) CHARACTER SET utf8mb4`;

const OBJECT = `json_object('id', id, 'account', account, 'name', name, 'amount', amount, 'price', price, 'at', at,
  'tags', json_extract(tags, '$'), 'active', active, 'prefs', json_extract(prefs, '$'))`;

/** A field of LOAD DATA's CSV (fields enclosed by ", doubled inside; NULL unenclosed). */
function field(column, value) {
  if (value === null) return 'NULL';
  if (column === 'at') return `"${new Date(Number(value / 1000n)).toISOString().slice(0, 19).replace('T', ' ')}.${(value % 1000000n).toString().padStart(6, '0')}"`;
  if (column === 'active') return value ? '1' : '0';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return typeof value === 'string' || typeof value === 'object' ? `"${text.replace(/"/g, '""')}"` : text;
}

function startServer(root) {
  const output = execFileSync(join(root, 'scripts/mariadb.sh'), ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const vars = Object.fromEntries([...output.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  return { url: vars.JSONDUMP_MYSQL_URL, stop: () => execFileSync(join(root, 'scripts/mariadb.sh'), ['stop', vars.JSONDUMP_MYSQL_DIR], { stdio: 'inherit' }) };
}

/** mariadb's connection arguments for a mysql:// URL. */
function clientArgs(url) {
  const u = new URL(url);
  return ['--default-character-set=utf8mb4', '-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username || 'root'), ...(u.password ? [`-p${decodeURIComponent(u.password)}`] : []), u.pathname.slice(1)];
}

/** The mixed rows, with the timestamps of a TIMESTAMP(6) in a UTC session ('YYYY-MM-DD hh:mm:ss.ffffff'), and booleans 1/0. */
const MYSQL_MIXED = { ...MIXED, mysql: true };

export default {
  name: 'mysql',
  async setup(ctx) {
    const mariadb = ensureTool('mariadb', 'mariadb-client');
    ctx.versions.push(versionOf('mariadb'));
    const server = process.env.JSONDUMP_MYSQL_URL ? { url: process.env.JSONDUMP_MYSQL_URL, stop: () => {} } : startServer(ctx.root);
    const args = clientArgs(server.url);
    try {
      const csv = join(ctx.out, 'mixed.csv');
      let text = '';
      for (const row of MIXED.rows(ctx.rows, ctx.seed)) text += row.map((value, i) => field(MIXED.columns[i], value)).join(',') + '\n';
      writeFileSync(csv, text);
      text = '';
      const load = `SET time_zone = '+00:00'; DROP TABLE IF EXISTS mixed; ${CREATE};
        LOAD DATA LOCAL INFILE '${csv}' INTO TABLE mixed CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '' LINES TERMINATED BY '\\n'`;
      execFileSync(mariadb, ['--local-infile=1', ...args, '-e', load], { stdio: 'inherit' });
    } catch (error) {
      server.stop();
      throw error;
    }
    const out = (name) => join(ctx.out, name);
    const check = (path) => checkLines(path, MYSQL_MIXED, ctx.rows, ctx.seed);
    return {
      jobs: [
        {
          title: 'MariaDB everyday mix (BIGINT, TEXT, DOUBLE, DECIMAL, TIMESTAMP, JSON array, BOOLEAN, JSON) → JSON Lines',
          contenders: [
            { name: 'mariadb -N -r (json_object)', reference: true, argv: [mariadb, ...args, '-N', '-r', '-e', `SET time_zone = '+00:00'; SELECT ${OBJECT} FROM mixed ORDER BY id`], stdout: out('mariadb.jsonl'), check },
            { name: 'jsondump export --lines', argv: [process.execPath, ctx.cli, 'export', server.url, '--query', 'select * from mixed order by id', '--lines', '-o', out('my-jsondump.jsonl')], output: out('my-jsondump.jsonl'), check },
          ],
        },
      ],
      teardown: () => server.stop(),
    };
  },
};
