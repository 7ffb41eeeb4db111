// How a PostgreSQL source connects and what the session may do: read-only, never a password in a
// message, a server that never answers times out, Ctrl-C while connecting or during a slow first
// query, libpq connection strings and PG* variables, and the selection flags of a --table export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { exactValues } from '../helpers/db-helpers.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';

const TABLE = `jsondump_session_${process.pid}`;
const ODD = `Odd "name".with dots ${process.pid}`;

let server: PgServer;
let client: pg.Client;
let url: URL;

beforeAll(async () => {
  server = pgServer();
  url = new URL(server.url);
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${TABLE}; DROP TABLE IF EXISTS "${ODD.replace(/"/g, '""')}"`);
  await client.query(`CREATE TABLE ${TABLE} (id int PRIMARY KEY, name text, score int)`);
  await client.query(`INSERT INTO ${TABLE} SELECT i, 'n' || i, i % 3 FROM generate_series(1, 10) AS i`);
  await client.query(`CREATE TABLE "${ODD.replace(/"/g, '""')}" (x int)`);
  await client.query(`INSERT INTO "${ODD.replace(/"/g, '""')}" VALUES (42)`);
  await client.query(`CREATE OR REPLACE FUNCTION jsondump_wipe_${process.pid}() RETURNS int LANGUAGE sql AS 'DELETE FROM ${TABLE} RETURNING 1'`);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}; DROP TABLE IF EXISTS "${ODD.replace(/"/g, '""')}"`).catch(() => {});
  await client?.query(`DROP FUNCTION IF EXISTS jsondump_wipe_${process.pid}()`).catch(() => {});
  await client?.end();
  server?.stop();
});

async function count(): Promise<number> {
  return Number((await client.query(`SELECT count(*) AS n FROM ${TABLE}`)).rows[0].n);
}

/** A TCP server that accepts connections and never says a word; `connected` settles at its first. */
async function silentServer(): Promise<{ port: number; connected: Promise<void>; close: () => void }> {
  const sockets: Socket[] = [];
  let accepted!: () => void;
  const connected = new Promise<void>((resolve) => (accepted = resolve));
  const silent: Server = createServer((socket) => {
    sockets.push(socket);
    accepted();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  return { port, connected, close: () => (sockets.forEach((s) => s.destroy()), silent.close()) };
}

describe('a read-only session', () => {
  it('refuses a query that writes, and nothing is deleted', async () => {
    const result = await runCli(['export', server.url, '--query', `DELETE FROM ${TABLE} RETURNING id`]);
    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toBe('jsondump: the query must read rows (SELECT, VALUES, TABLE or WITH … SELECT): exports run in a read-only session\n');
    expect(await count()).toBe(10);
  });

  it('refuses a write hidden in a function', async () => {
    const result = await runCli(['export', server.url, '--query', `SELECT jsondump_wipe_${process.pid}()`]);
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: SQL error: cannot execute DELETE in a read-only transaction\n' });
    expect(await count()).toBe(10);
  });
});

describe('connecting', () => {
  it('never prints a password, given in the URL or as ?password=', async () => {
    for (const source of [
      `postgres://someone:s3cr%21t@127.0.0.1:${url.port}/nodb`,
      `postgres://someone@127.0.0.1:${url.port}/nodb?password=s3cr!t`,
      `host=127.0.0.1 port=${url.port} user=someone password='s3cr!t' dbname=nodb`,
    ]) {
      const result = await runCli(['export', source, '--table', 't', '--verbose']);
      expect(result.status).toBe(1);
      expect(result.stderr).not.toMatch(/s3cr/);
      expect(result.stderr).toMatch(new RegExp(`^jsondump: cannot connect to postgresql://someone@127.0.0.1:${url.port}/nodb: `));
    }
  });

  it('gives up on a server that accepts and never answers (connect_timeout)', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const result = await runCli(['export', `postgres://u@127.0.0.1:${silent.port}/db?connect_timeout=2`, '--table', 't']);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`jsondump: cannot connect to postgresql://u@127.0.0.1:${silent.port}/db: timeout expired\n`);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      silent.close();
    }
  });

  it('stops at Ctrl-C while connecting', async () => {
    const silent = await silentServer();
    try {
      let pid = 0;
      const running = runCli(['export', `postgres://u@127.0.0.1:${silent.port}/db`, '--table', 't'], { started: (p) => (pid = p) });
      await silent.connected; // the CLI is connecting (a fixed wait ended before it started, on a loaded machine)
      const signalled = Date.now();
      process.kill(pid, 'SIGINT');
      const result = await running;
      expect(result.status).toBe(130);
      expect(result.stderr).toBe('jsondump: interrupted by SIGINT\n');
      expect(Date.now() - signalled).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });

  it('stops at Ctrl-C during a slow first query', async () => {
    let pid = 0;
    const running = runCli(['export', server.url, '--query', 'SELECT pg_sleep(60) AS slept'], { started: (p) => (pid = p) });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const signalled = Date.now();
    process.kill(pid, 'SIGINT');
    const result = await running;
    expect(result.status).toBe(130);
    expect(Date.now() - signalled).toBeLessThan(5_000);
  });

  it('takes a libpq connection string', async () => {
    const source = `host=127.0.0.1 port=${url.port} user=${url.username} dbname='${url.pathname.slice(1)}'`;
    const result = await runCli(['export', source, '--table', TABLE, '--limit', '2', '--lines', '--order-by', 'id']);
    expect(result).toMatchObject({ status: 0, stderr: '', stdout: '{"id":1,"name":"n1","score":1}\n{"id":2,"name":"n2","score":2}\n' });
  });

  it('takes the PG* environment variables for what the source leaves out', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { PGHOST: '127.0.0.1', PGPORT: url.port, PGUSER: url.username, PGDATABASE: url.pathname.slice(1) });
    try {
      const result = await runCli(['export', 'postgres:', '--query', 'SELECT current_user AS who']);
      expect(result).toMatchObject({ status: 0, stderr: '', stdout: `[{"who":"${url.username}"}]\n` });
    } finally {
      process.env = saved;
    }
  });
});

describe('selecting rows of a table', () => {
  it('--where with positional parameters, --columns, --order-by, --limit', async () => {
    const result = await runCli([
      'export', server.url, '--table', TABLE, '--where', 'score = $1 AND name <> $2', '--param', '1', '--param', "n4'; DROP TABLE x; --",
      '--columns', 'name,id', '--order-by', 'id DESC', '--limit', '3', '--lines',
    ]);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe('{"name":"n10","id":10}\n{"name":"n7","id":7}\n{"name":"n4","id":4}\n');
  });

  it('refuses named parameters, which PostgreSQL cannot bind', async () => {
    const result = await runCli(['export', server.url, '--table', TABLE, '--where', 'id = $1', '--param', 'id=3']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^jsondump: --param id=…: this database binds parameters by position only/);
  });

  it('quotes a table name with quotes, dots and spaces', async () => {
    const quoted = `"${ODD.replace(/"/g, '""')}"`;
    const result = await runCli(['export', server.url, '--table', quoted, '--lines']);
    expect(result).toMatchObject({ status: 0, stderr: '', stdout: '{"x":42}\n' });
    expect(await exactValues((await runCli(['export', server.url, '--table', `public.${quoted}`])).stdout)).toEqual([[{ x: '42' }]]);
  });

  it('runs --jobs N as one job, and says so', async () => {
    const result = await runCli(['export', server.url, '--table', TABLE, '--jobs', '2', '--verbose', '--limit', '1', '--order-by', 'id', '--lines']);
    expect(result).toMatchObject({ status: 0, stdout: '{"id":1,"name":"n1","score":1}\n' });
    expect(result.stderr).toContain('jsondump: --jobs 2: one job used: --order-by decides the order, not the key\n');
  });

  it('names a missing table on one line, exit 1', async () => {
    const result = await runCli(['export', server.url, '--table', 'no_such_table']);
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: no such table: no_such_table\n' });
  });
});
