// Job module: PostgreSQL tables to JSON Lines. Contenders: `psql -At -c 'select row_to_json(t)
// from t'` (the C tool; not \copy, whose COPY text format doubles every backslash) and jsondump
// export --lines, with one connection and (on the seeded 8-column table) with --jobs 2 (two
// connections, the same bytes). Three tables: the seeded 8-column one (dataset.js), and the
// everyday mix and the mostly-json table of mixed.js. The server is JSONDUMP_PG_URL, or one
// scripts/pg.sh starts and stops.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { once } from 'node:events';
import { checkOutput } from '../check.js';
import { COLUMNS, rows } from '../dataset.js';
import { DOCS, MIXED, checkLines, csvRow } from '../mixed.js';
import { ensureTool, versionOf } from '../tools.js';

const CREATE = `CREATE TABLE t (id int8 PRIMARY KEY, account int8, amount float8, ratio float8, name text, city text, note text, score int8)`;

function csvField(value) {
  if (value === null) return '';
  if (typeof value === 'number') return String(value); // shortest text that reads back as the same double
  if (typeof value === 'bigint') return String(value);
  return '"' + value.replace(/"/g, '""') + '"';
}

/** Loads table `name` through psql \copy … FROM STDIN (CSV lines of its rows). */
async function load(psql, url, name, create, columns, lines) {
  execFileSync(psql, [url, '-q', '-c', `DROP TABLE IF EXISTS ${name}`, '-c', create], { stdio: 'inherit' });
  const child = spawn(psql, [url, '-q', '-c', `\\copy ${name} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`], { stdio: ['pipe', 'inherit', 'inherit'] });
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length > 1 << 20) {
      if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
      chunk = '';
    }
  }
  child.stdin.end(chunk);
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`psql \\copy exited with ${code}`);
  execFileSync(psql, [url, '-q', '-c', `VACUUM ANALYZE ${name}`], { stdio: 'inherit' });
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

/** The CSV lines of the seeded 8-column table. */
function* seededLines(count, seed) {
  for (const row of rows(count, seed)) yield row.map(csvField).join(',') + '\n';
}

function* tableLines(table, count, seed) {
  for (const row of table.rows(count, seed)) yield csvRow(table, row);
}

/** psql's rows of `table` (the reference) and jsondump's, one connection, as JSON Lines. */
function tableJob(ctx, psql, url, title, table, check) {
  const out = (name) => join(ctx.out, name);
  return {
    title,
    contenders: [
      { name: "psql -At (row_to_json)", reference: true, argv: [psql, url, '-At', '-c', `select row_to_json(t) from ${table} t order by id`], stdout: out(`psql-${table}.jsonl`), check },
      { name: 'jsondump export --lines', argv: [process.execPath, ctx.cli, 'export', url, '--query', `select * from ${table} order by id`, '--lines', '-o', out(`jsondump-${table}.jsonl`)], output: out(`jsondump-${table}.jsonl`), check },
    ],
  };
}

export default {
  name: 'postgres',
  async setup(ctx) {
    const psql = ensureTool('psql', 'postgresql-client');
    ctx.versions.push(versionOf('psql'));
    const server = process.env.JSONDUMP_PG_URL ? { url: process.env.JSONDUMP_PG_URL, stop: () => {} } : startServer(ctx.root);
    try {
      await load(psql, server.url, 't', CREATE, COLUMNS, seededLines(ctx.rows, ctx.seed));
      for (const table of [MIXED, DOCS]) await load(psql, server.url, table.name, table.create, table.columns, tableLines(table, ctx.rows, ctx.seed));
      ctx.versions.push(execFileSync(psql, [server.url, '-tAc', 'SHOW server_version'], { encoding: 'utf8' }).trim().replace(/^/, 'PostgreSQL server '));
    } catch (error) {
      server.stop();
      throw error;
    }
    const out = (name) => join(ctx.out, name);
    const seeded = (path) => checkOutput(path, 'lines', ctx.rows, ctx.seed);
    const seededJob = tableJob(ctx, psql, server.url, 'PostgreSQL table → JSON Lines', 't', seeded);
    seededJob.contenders.push({
      name: 'jsondump export --lines --jobs 2',
      argv: [process.execPath, ctx.cli, 'export', server.url, '--table', 't', '--jobs', '2', '--lines', '-o', out('pg-jsondump-2.jsonl')],
      output: out('pg-jsondump-2.jsonl'),
      check: seeded,
    });
    const checked = (table) => (path) => checkLines(path, table, ctx.rows, ctx.seed);
    return {
      jobs: [
        seededJob,
        tableJob(ctx, psql, server.url, 'PostgreSQL everyday mix (int8, text, float8, numeric, timestamptz, text[], boolean, jsonb) → JSON Lines', MIXED.name, checked(MIXED)),
        tableJob(ctx, psql, server.url, 'PostgreSQL mostly json/jsonb → JSON Lines', DOCS.name, checked(DOCS)),
      ],
      teardown: () => server.stop(),
    };
  },
};
