// MariaDB through the mysql:// source: a million rows streamed in bounded memory and compared
// line by line with what the server returns to a plain query; every type; the read-only session;
// the selection flags; errors on one line without the password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mysql from 'mysql2';
import { runCli, tempDir } from '../helpers/cli.js';
import { exactValues } from '../helpers/db-helpers.js';
import { mysqlServer, type MysqlServer } from '../helpers/mysql-server.js';

const ROWS = 1_000_000;
// Measured about 120 MB; a million buffered rows would need several hundred.
const MAX_RSS_MB = 200;
const BIG = `jsondump_big_${process.pid}`;
const TYPES = `jsondump_types_${process.pid}`;

let server: MysqlServer;
let client: mysql.Connection;
let dir = '';

function sql(text: string, values: unknown[] = []): Promise<unknown[]> {
  return new Promise((resolve, reject) => client.query(text, values, (error, rows) => (error ? reject(error) : resolve(rows as unknown[]))));
}

beforeAll(async () => {
  server = mysqlServer();
  // Strings for every value: the server's own text, nothing converted by the driver.
  client = mysql.createConnection({ uri: server.url, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, multipleStatements: true, charset: 'UTF8MB4_UNICODE_CI' });
  dir = tempDir('mysql');
  await sql(`DROP TABLE IF EXISTS ${BIG}, ${TYPES}`);
  await sql(`CREATE TABLE ${BIG} (id BIGINT PRIMARY KEY, big BIGINT, amount DECIMAL(30,10), at DATETIME(6), label VARCHAR(100), bytes VARBINARY(16), maybe TEXT)`);
  // MariaDB's sequence engine makes the rows in the server.
  await sql(`INSERT INTO ${BIG} SELECT seq, IF(seq % 3 = 0, 9007199254740993 + seq, -seq * 7), seq / 7,
    TIMESTAMPADD(MICROSECOND, seq * 1000003, '2020-01-01'), CONCAT('Zoë "', seq, '"\\n😀 東京\\\\'),
    IF(seq % 5 = 0, UNHEX(CONCAT('00ff', HEX(seq))), NULL), IF(seq % 2 = 0, NULL, 'ok') FROM seq_1_to_${ROWS}`);
  await sql(`CREATE TABLE ${TYPES} (id BIGINT PRIMARY KEY, u BIGINT UNSIGNED, d DECIMAL(40,20), f FLOAT, dbl DOUBLE,
    dt DATETIME(6), ts TIMESTAMP(3) NULL, day DATE, tm TIME, yr YEAR, j JSON, b BLOB, t TEXT, e ENUM('a','b'), n INT)`);
  await sql(`INSERT INTO ${TYPES} VALUES (1, 18446744073709551615, '-12345678901234567890.12345678901234567890', 1.1, 0.1,
    '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.5', '2024-01-02', '-838:59:59', 2024,
    '{"b": [1, 2.50, 12345678901234567890], "a": {"x": null}}', X'00FF10', 'tab\\t"q"', 'b', NULL)`);
});

afterAll(async () => {
  await sql(`DROP TABLE IF EXISTS ${BIG}, ${TYPES}`).catch(() => {});
  client?.end();
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The exact JSON Lines line for a row of the plain query (every value as the server's text). */
function expectedLine(row: Record<string, string | Buffer | null>): string {
  const str = (v: unknown) => (v === null ? 'null' : JSON.stringify(v));
  const bytes = row.bytes === null ? 'null' : JSON.stringify((row.bytes as Buffer).toString('base64'));
  return `{"id":${row.id},"big":${row.big},"amount":${row.amount},"at":${str((row.at as string).replace(' ', 'T'))},"label":${str(row.label)},"bytes":${bytes},"maybe":${str(row.maybe)}}`;
}

describe('MySQL / MariaDB', () => {
  it(`streams ${ROWS.toLocaleString('en-US')} rows, each equal to the server's, in bounded memory`, async () => {
    const out = join(dir, 'big.jsonl');
    const result = await runCli(['export', server.url, '--query', `SELECT * FROM ${BIG} ORDER BY id`, '--lines', '-o', out], { measureRss: true });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = createInterface({ input: createReadStream(out), crlfDelay: Infinity })[Symbol.asyncIterator]();
    const rows = client.query(`SELECT * FROM ${BIG} ORDER BY id`).stream({ highWaterMark: 1000 });
    let count = 0;
    for await (const row of rows) {
      const line = await lines.next();
      const expected = expectedLine(row as Record<string, string | Buffer | null>);
      if (line.done || line.value !== expected) throw new Error(`line ${count + 1}: ${line.value} != ${expected}`);
      count++;
    }
    expect(count).toBe(ROWS);
    expect((await lines.next()).done).toBe(true);
    expect((result.maxRssKb as number) / 1024).toBeLessThan(MAX_RSS_MB);
  });

  it('writes every type exactly: BIGINT and DECIMAL digits, ISO times, JSON embedded, BLOBs as --blob asks', async () => {
    const result = await runCli(['export', server.url, '--table', TYPES, '--lines']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe(
      '{"id":1,"u":18446744073709551615,"d":-12345678901234567890.12345678901234567890,"f":1.1,"dbl":0.1,' +
        '"dt":"2024-01-02T03:04:05.123456","ts":"2024-01-02T03:04:05.500+00:00","day":"2024-01-02","tm":"-838:59:59","yr":2024,' +
        '"j":{"b":[1,2.50,12345678901234567890],"a":{"x":null}},"b":"AP8Q","t":"tab\\t\\"q\\"","e":"b","n":null}\n',
    );
    const indented = await runCli(['export', server.url, '--query', `SELECT j, b FROM ${TYPES}`, '--indent', '1', '--blob', 'object']);
    expect(indented.stdout).toBe(
      '[\n {\n  "j": {\n   "b": [\n    1,\n    2.50,\n    12345678901234567890\n   ],\n   "a": {\n    "x": null\n   }\n  },\n  "b": {\n   "$base64": "AP8Q"\n  }\n }\n]\n',
    );
    const hex = await runCli(['export', server.url, '--query', `SELECT b FROM ${TYPES}`, '--lines', '--blob', 'hex']);
    expect(hex.stdout).toBe('{"b":"00ff10"}\n');
  });

  it('agrees with the server on every value of the types table, in the python dialect', async () => {
    const result = await runCli(['export', server.url, '--table', TYPES, '--dialect', 'python']);
    const [[row]] = (await exactValues(result.stdout)) as Record<string, unknown>[][];
    const [plain] = (await sql(`SELECT * FROM ${TYPES}`)) as Record<string, unknown>[];
    for (const name of ['id', 'u', 'd', 'yr']) expect(row[name]).toBe(String(plain[name]));
    for (const name of ['tm', 'day', 't', 'e']) expect(row[name]).toBe(plain[name]);
    expect(row.dt).toBe((plain.dt as string).replace(' ', 'T'));
  });

  it('refuses writes: by name, and in the session', async () => {
    const before = await sql(`SELECT count(*) AS n FROM ${TYPES}`);
    const named = await runCli(['export', server.url, '--query', `DELETE FROM ${TYPES}`]);
    expect(named).toMatchObject({ status: 1, stdout: '' });
    expect(named.stderr).toMatch(/^jsondump: the query must read rows/);
    const hidden = await runCli(['export', server.url, '--query', `WITH x AS (SELECT 1) SELECT * FROM x; DELETE FROM ${TYPES}`]);
    expect(hidden.status).toBe(1);
    expect(await sql(`SELECT count(*) AS n FROM ${TYPES}`)).toEqual(before);
  });

  it('selects with --where and bound --param values, --columns, --order-by, --limit; quotes names', async () => {
    const result = await runCli([
      'export', server.url, '--table', BIG, '--where', 'id <= ? AND label <> ?', '--param', '20', '--param', "x' OR 1=1 -- ",
      '--columns', 'maybe,id', '--order-by', 'id DESC', '--limit', '2', '--lines',
    ]);
    expect(result).toMatchObject({ status: 0, stderr: '', stdout: '{"maybe":null,"id":20}\n{"maybe":"ok","id":19}\n' });
    const odd = 'we`ird.name';
    await sql('CREATE TABLE `we``ird.name` (x INT)');
    await sql('INSERT INTO `we``ird.name` VALUES (7)');
    try {
      const quoted = await runCli(['export', server.url, '--table', '`we``ird.name`', '--lines']);
      expect(quoted).toMatchObject({ status: 0, stdout: '{"x":7}\n' });
    } finally {
      await sql('DROP TABLE `we``ird.name`');
    }
    void odd;
  });

  it('runs --jobs N as one job, and says so', async () => {
    const result = await runCli(['export', server.url, '--table', TYPES, '--columns', 'id', '--jobs', '2', '--verbose', '--lines']);
    expect(result).toMatchObject({ status: 0, stdout: '{"id":1}\n' });
    expect(result.stderr).toContain('jsondump: --jobs 2: one job used: a MySQL source is read through one connection\n');
  });

  it('names a missing table, and never prints the password', async () => {
    const missing = await runCli(['export', server.url, '--table', 'no_such_table']);
    expect(missing).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: no such table: no_such_table\n' });
    const url = new URL(server.url);
    const denied = await runCli(['export', `mysql://nobody:s3cr%21t@127.0.0.1:${url.port}/jsondump`, '--table', 'x']);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(new RegExp(`^jsondump: cannot connect to mysql://nobody@127.0.0.1:${url.port}/jsondump: Access denied`));
    expect(denied.stderr).not.toMatch(/s3cr/);
  });
});
