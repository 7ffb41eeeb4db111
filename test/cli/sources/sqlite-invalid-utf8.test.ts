// SQLite TEXT may hold bytes that are not UTF-8 (Latin-1 written as TEXT): such a value is
// refused by default, one line naming its row and column, exit 1, no file written, as Python's
// sqlite3 refuses to read it; --replace-invalid-utf8 writes U+FFFD in place of such bytes, as
// Python's decode(errors='replace') does. A U+FFFD that the text really holds is valid and
// written as it is. The same with --jobs, in every dialect and with --json-cols.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from '../helpers/cli.js';
import { pythonSqlite } from '../helpers/python-json.js';

const ROWS = 20000;
const BAD_ID = 12345; // the row whose name is Latin-1 'café'

let dir = '';
let db = '';

beforeAll(() => {
  dir = tempDir('sqlite-utf8');
  db = join(dir, 'u.db');
  const d = new Database(db);
  // every 100th row holds a real U+FFFD (valid UTF-8), and row 77 a 4-byte sequence cut short
  d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, doc TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO t SELECT i, CASE WHEN i % 100 = 0 THEN 'r' || char(65533) || i ELSE 'n' || i END, '["é"]' FROM n;
    UPDATE t SET name = CAST(x'636166e9' AS TEXT) WHERE id = ${BAD_ID};
    CREATE TABLE cut (id INTEGER PRIMARY KEY, name TEXT);
    INSERT INTO cut VALUES (1, 'ok'), (2, CAST(x'f09f9841' AS TEXT));
    CREATE TABLE fine (id INTEGER PRIMARY KEY, name TEXT);
    INSERT INTO fine SELECT id, name FROM t WHERE id <> ${BAD_ID};
    CREATE TABLE doc (id INTEGER PRIMARY KEY, doc TEXT);
    INSERT INTO doc VALUES (1, '{"a": 1}'), (2, CAST(x'7b2261223a2022e9227d' AS TEXT));`);
  d.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const out = () => join(dir, 'out.jsonl');

async function refused(flags: string[], message: string): Promise<void> {
  const result = await runCli(['export', `sqlite:${db}`, '--lines', '-o', out(), ...flags]);
  expect(result).toMatchObject({ status: 1, stdout: '', stderr: `jsondump: ${message}; --replace-invalid-utf8 writes U+FFFD in place of such bytes\n` });
  expect(existsSync(out())).toBe(false);
}

describe('SQLite text that is not UTF-8', () => {
  it('Python refuses to read it', () => {
    expect(() => pythonSqlite(db, `SELECT name FROM t WHERE id = ${BAD_ID}`)).toThrow(/Could not decode to UTF-8/);
  });

  it('is refused by default, naming the row and column', async () => {
    const message = `row ${BAD_ID}, column name: the text is not valid UTF-8 (byte offset 3)`;
    for (const jobs of ['1', '2', '3']) await refused(['--table', 't', '--jobs', jobs], message);
    await refused(['--table', 't', '--dialect', 'python'], message);
    await refused(['--query', `SELECT name FROM t WHERE id >= 12000 ORDER BY id;`], `row 346, column name: the text is not valid UTF-8 (byte offset 3)`);
    await refused(['--table', 'cut'], 'row 2, column name: the text is not valid UTF-8 (byte offset 0)');
    await refused(['--table', 'doc', '--json-cols'], 'row 2, column doc: the text is not valid UTF-8 (byte offset 7)');
  });

  it('a U+FFFD that is in the text is written as it is', async () => {
    for (const flags of [['--jobs', '1'], ['--jobs', '2'], ['--dialect', 'python']]) {
      const result = await runCli(['export', `sqlite:${db}`, '--table', 'fine', '--lines', ...flags]);
      expect(result.status).toBe(0);
      expect(result.stdout.split('\n').slice(0, -1)).toEqual(pythonSqlite(db, 'SELECT * FROM fine ORDER BY id', flags[0] === '--dialect' ? {} : { ensure_ascii: false, separators: [',', ':'] }));
    }
  });

  it('--replace-invalid-utf8 writes U+FFFD as Python decodes it with errors="replace"', async () => {
    const python = `
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.text_factory = lambda b: b.decode('utf-8', 'replace')
for row in con.execute('SELECT id, name FROM t ORDER BY id'):
    print(json.dumps({'id': row[0], 'name': row[1]}, ensure_ascii=False, separators=(',', ':')))
for row in con.execute('SELECT id, name FROM cut ORDER BY id'):
    print(json.dumps({'id': row[0], 'name': row[1]}, ensure_ascii=False, separators=(',', ':')))
`;
    const { spawnSync } = await import('node:child_process');
    const expected = spawnSync('python3', ['-c', python, db], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
    for (const jobs of ['1', '2']) {
      const t = await runCli(['export', `sqlite:${db}`, '--table', 't', '--columns', 'id,name', '--lines', '--replace-invalid-utf8', '--jobs', jobs]);
      const cut = await runCli(['export', `sqlite:${db}`, '--table', 'cut', '--lines', '--replace-invalid-utf8']);
      expect(t).toMatchObject({ status: 0, stderr: '' });
      expect(t.stdout + cut.stdout).toBe(expected);
    }
  });
});
