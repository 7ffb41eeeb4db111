// Job module: a PostgreSQL table to JSON Lines. Contenders: psql \copy of row_to_json (the C
// tool; its COPY text format doubles backslashes, undone before the check) and jsondump export
// --lines, with one connection and with --jobs 2 (two connections, the same bytes). The server
// is JSONDUMP_PG_URL, or one scripts/pg.sh starts and stops.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { once } from 'node:events';
import { checkOutput } from '../check.js';
import { COLUMNS, rows } from '../dataset.js';
import { ensureTool, versionOf } from '../tools.js';

const CREATE = `CREATE TABLE t (id int8 PRIMARY KEY, account int8, amount float8, ratio float8, name text, city text, note text, score int8)`;

function csvField(value) {
  if (value === null) return '';
  if (typeof value === 'number') return String(value); // shortest text that reads back as the same double
  if (typeof value === 'bigint') return String(value);
  return '"' + value.replace(/"/g, '""') + '"';
}

/** Loads the table through psql \copy … FROM STDIN (CSV). */
async function load(psql, url, count, seed) {
  execFileSync(psql, [url, '-q', '-c', 'DROP TABLE IF EXISTS t', '-c', CREATE], { stdio: 'inherit' });
  const child = spawn(psql, [url, '-q', '-c', `\\copy t (${COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv)`], { stdio: ['pipe', 'inherit', 'inherit'] });
  let chunk = '';
  for (const row of rows(count, seed)) {
    chunk += row.map(csvField).join(',') + '\n';
    if (chunk.length > 1 << 20) {
      if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
      chunk = '';
    }
  }
  child.stdin.end(chunk);
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`psql \\copy exited with ${code}`);
  execFileSync(psql, [url, '-q', '-c', 'VACUUM ANALYZE t'], { stdio: 'inherit' });
}

/**
 * A server of its own for the run, with 256 MB of shared buffers (the test servers have 32 MB;
 * PostgreSQL's default is 128 MB): the 1M-row table then stays in the server's buffers, and two
 * connections reading halves of it no longer queue for the few buffers there are. Every
 * contender reads from the same server. In quick runs (`node bench/export/run.js --jobs postgres
 * --no-memory`) --jobs 2 went from 0.90-0.98x psql with 32 MB to 1.08-1.29x with 256 MB.
 */
function startServer(root) {
  const env = { ...process.env, JSONDUMP_PG_SHARED_BUFFERS: process.env.JSONDUMP_PG_SHARED_BUFFERS ?? '256MB' };
  const output = execFileSync(join(root, 'scripts/pg.sh'), ['start'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'] });
  const vars = Object.fromEntries([...output.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  return { url: vars.JSONDUMP_PG_URL, stop: () => execFileSync(join(root, 'scripts/pg.sh'), ['stop', vars.JSONDUMP_PG_DIR], { stdio: 'inherit' }) };
}

export default {
  name: 'postgres',
  async setup(ctx) {
    const psql = ensureTool('psql', 'postgresql-client');
    ctx.versions.push(versionOf('psql'));
    const server = process.env.JSONDUMP_PG_URL ? { url: process.env.JSONDUMP_PG_URL, stop: () => {} } : startServer(ctx.root);
    try {
      await load(psql, server.url, ctx.rows, ctx.seed);
      ctx.versions.push(execFileSync(psql, [server.url, '-tAc', 'SHOW server_version'], { encoding: 'utf8' }).trim().replace(/^/, 'PostgreSQL server '));
    } catch (error) {
      server.stop();
      throw error;
    }
    const out = (name) => join(ctx.out, name);
    const check = (format) => (path) => checkOutput(path, format, ctx.rows, ctx.seed);
    return {
      jobs: [
        {
          title: 'PostgreSQL table → JSON Lines',
          contenders: [
            { name: 'psql \\copy (row_to_json)', reference: true, argv: [psql, server.url, '-c', '\\copy (select row_to_json(t) from t order by id) to stdout'], stdout: out('psql.jsonl'), check: check('copy') },
            { name: 'jsondump export --lines', argv: [process.execPath, ctx.cli, 'export', server.url, '--query', 'select * from t order by id', '--lines', '-o', out('pg-jsondump.jsonl')], output: out('pg-jsondump.jsonl'), check: check('lines') },
            { name: 'jsondump export --lines --jobs 2', argv: [process.execPath, ctx.cli, 'export', server.url, '--table', 't', '--jobs', '2', '--lines', '-o', out('pg-jsondump-2.jsonl')], output: out('pg-jsondump-2.jsonl'), check: check('lines'), bytesOf: out('pg-jsondump.jsonl') },
          ],
        },
      ],
      teardown: () => server.stop(),
    };
  },
};
