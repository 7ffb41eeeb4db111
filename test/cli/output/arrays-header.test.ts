// --arrays: the header (the column names) is not a row. --assert-rows, --min-rows, --split-rows,
// the manifest and the summary count rows only, and every part of a split export begins with
// the header, so that each file can be read alone. The same for every database source. (The
// rows' own layout is each source's business: outputs are compared parsed, line by line.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { recordFrame } from '../../../src/cli/record-frame.js';
import { takeHeader, withHeader } from '../../../src/cli/output/header.js';
import type { RecordBatch } from '../../../src/cli/records.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { mysqlServer, type MysqlServer } from '../helpers/mysql-server.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';

const TABLE = `jsondump_header_${process.pid}`;
const ROWS: [number, string][] = [[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd'], [5, 'e']];
const HEADER = ['id', 'name'];
const INSERT = `INSERT INTO ${TABLE} VALUES ${ROWS.map(([id, name]) => `(${id}, '${name}')`).join(', ')}`;

let dir = '';
let sqliteDb = '';
let postgres: PgServer;
let mariadb: MysqlServer;

beforeAll(async () => {
  dir = tempDir('arrays-header');
  sqliteDb = join(dir, 'rows.db');
  const db = new Database(sqliteDb);
  db.exec(`CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY, name TEXT); ${INSERT}`);
  db.close();
  postgres = pgServer();
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (id int PRIMARY KEY, name text); ${INSERT}`);
  await client.end();
  mariadb = mysqlServer();
  const connection = await mysql.createConnection({ uri: mariadb.url, multipleStatements: true });
  await connection.query(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (id INT PRIMARY KEY, name TEXT); ${INSERT}`);
  await connection.end();
});

afterAll(async () => {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await client.end();
  const connection = await mysql.createConnection({ uri: mariadb.url });
  await connection.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await connection.end();
  postgres?.stop();
  mariadb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const SOURCES: [string, () => string][] = [
  ['SQLite', () => `sqlite:${sqliteDb}`],
  ['PostgreSQL', () => postgres.url],
  ['MariaDB', () => mariadb.url],
];

let seq = 0;
const caseDir = (): string => {
  const path = join(dir, `case-${seq++}`);
  mkdirSync(path);
  return path;
};

const parsedLines = (text: string): unknown[] => text.split('\n').slice(0, -1).map((line) => JSON.parse(line) as unknown);

interface Manifest {
  files: { name: string; rows: number; bytes: number }[];
  rows: number;
}

describe.each(SOURCES)('%s --arrays', (_name, source) => {
  const run = (...flags: string[]) => runCli(['export', source(), '--table', TABLE, '--order-by', 'id', '--arrays', ...flags]);

  it('--assert-rows and --min-rows count the rows, not the header; so does the summary', async () => {
    const met = await run('--assert-rows', '5', '--verbose');
    expect(met).toMatchObject({ status: 0, stderr: `jsondump: wrote 5 rows, ${met.stdout.length} B to stdout\n` });
    expect(JSON.parse(met.stdout)).toEqual([HEADER, ...ROWS]);
    expect(await run('--min-rows', '5')).toMatchObject({ status: 0, stdout: met.stdout });
    expect(await run('--assert-rows', '6')).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: 5 records, not the 6 that --assert-rows expects: nothing written\n' });
    expect(await run('--min-rows', '6')).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: 5 records, fewer than the 6 that --min-rows expects: nothing written\n' });
  });

  it('no rows: the header alone, and --assert-rows 0 is met', async () => {
    const none = ['--where', 'id < 0', '--assert-rows', '0'];
    expect(await run(...none)).toMatchObject({ status: 0, stderr: '', stdout: '[["id","name"]]\n' });
    expect(await run(...none, '--lines')).toMatchObject({ status: 0, stderr: '', stdout: '["id","name"]\n' });
    expect(await run(...none, '--indent', '2')).toMatchObject({ status: 0, stderr: '', stdout: JSON.stringify([HEADER], null, 2) + '\n' });
  });

  it('--split-rows 2: every part begins with the header and holds 2 rows; the manifest counts rows', async () => {
    const path = caseDir();
    const result = await run('--lines', '--split-rows', '2', '-o', join(path, 'out.jsonl'));
    expect(result).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(readdirSync(path).sort()).toEqual(['out-00001.jsonl', 'out-00002.jsonl', 'out-00003.jsonl', 'out.manifest.json']);
    const manifest = JSON.parse(readFileSync(join(path, 'out.manifest.json'), 'utf8')) as Manifest;
    expect(manifest.files.map((f) => f.rows)).toEqual([2, 2, 1]);
    expect(manifest.rows).toBe(5);
    for (const [i, file] of manifest.files.entries()) {
      expect(parsedLines(readFileSync(join(path, file.name), 'utf8'))).toEqual([HEADER, ...ROWS.slice(i * 2, i * 2 + 2)]);
    }
  });

  it('--split-rows with --indent: every part is a whole document [header, rows…]', async () => {
    const path = caseDir();
    expect(await run('--indent', '2', '--split-rows', '3', '-o', join(path, 'out.json'))).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(join(path, 'out-00001.json'), 'utf8')).toBe(JSON.stringify([HEADER, ...ROWS.slice(0, 3)], null, 2));
    expect(readFileSync(join(path, 'out-00002.json'), 'utf8')).toBe(JSON.stringify([HEADER, ...ROWS.slice(3)], null, 2));
    expect(JSON.parse(readFileSync(join(path, 'out.manifest.json'), 'utf8'))).toMatchObject({ rows: 5 });
  });

  it('--split-bytes: every part begins with the header, which counts towards its size', async () => {
    const path = caseDir();
    const whole = (await run('--lines')).stdout.split(/(?<=\n)/);
    // the header and two rows fit, a third row does not
    const size = whole[0].length + whole[1].length + whole[2].length;
    expect(whole[0].length + whole[3].length + whole[4].length + whole[5].length).toBeGreaterThan(size);
    expect(await run('--lines', '--split-bytes', String(size), '-o', join(path, 'out.jsonl'))).toMatchObject({ status: 0, stderr: '' });
    const manifest = JSON.parse(readFileSync(join(path, 'out.manifest.json'), 'utf8')) as Manifest;
    expect(manifest.files.map((f) => f.rows)).toEqual([2, 2, 1]);
    expect(manifest.rows).toBe(5);
    for (const [i, file] of manifest.files.entries()) {
      const text = readFileSync(join(path, file.name), 'utf8');
      expect(text.length).toBeLessThanOrEqual(size);
      expect(text).toBe(whole[0] + whole.slice(1 + i * 2, 3 + i * 2).join(''));
    }
  });
});

describe('takeHeader', () => {
  const encoded = (text: string, ends: number[]): RecordBatch => ({ kind: 'encoded', bytes: Buffer.from(text), ends });
  async function* batches(...list: RecordBatch[]): AsyncGenerator<RecordBatch> {
    yield* list;
  }
  const texts = async (rest: AsyncIterable<RecordBatch>): Promise<string[]> => {
    const out: string[] = [];
    for await (const batch of rest) out.push(`${Buffer.from(batch.bytes).toString()} ${JSON.stringify(Array.from(batch.ends))}`);
    return out;
  };

  it('a header larger than a batch, in pieces; the records after it keep their ends', async () => {
    const { header, rest } = await takeHeader(batches(encoded('["i', []), encoded('d","x"][1,2][3', [7, 12]), encoded(',4]', [3])));
    expect(header).toBe('["id","x"]');
    expect(await texts(rest)).toEqual(['[1,2][3 [5]', ',4] [3]']);
  });

  it('a header alone in its batch; in a batch with rows; no record at all', async () => {
    const alone = await takeHeader(batches(encoded('["a"]', [5]), encoded('[1]', [3])));
    expect([alone.header, await texts(alone.rest)]).toEqual(['["a"]', ['[1] [3]']]);
    const shared = await takeHeader(batches(encoded('["a"][1][2]', [5, 8, 11])));
    expect([shared.header, await texts(shared.rest)]).toEqual(['["a"]', ['[1][2] [3,6]']]);
    const none = await takeHeader(batches());
    expect([none.header, await texts(none.rest)]).toEqual([null, []]);
  });

  it('withHeader: every document opens with the header; without rows it holds the header alone', () => {
    const array = withHeader(recordFrame({ indent: 2 }, false), '["a"]');
    expect([array.open, array.separator, array.close, array.empty]).toEqual(['[\n  ["a"],\n  ', ',\n  ', '\n]', '[\n  ["a"]\n]']);
    const lines = withHeader(recordFrame({}, true), '["a"]');
    expect([lines.open, lines.separator, lines.close, lines.empty]).toEqual(['["a"]\n', '\n', '\n', '["a"]\n']);
  });
});
