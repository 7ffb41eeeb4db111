// The selection and shape flags of an SQLite export, end to end on small files: --where with
// bound parameters, --columns, --order-by, --limit, quoted table names, --arrays, --json-cols,
// --blob, repeated column names, --jobs falling back to one job, and the messages of a bad source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from '../helpers/cli.js';

let dir = '';
let db = '';
const ODD = 'my "odd".table name';

beforeAll(() => {
  dir = tempDir('sqlite-flags');
  db = join(dir, 'flags.db');
  const d = new Database(db);
  d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score INTEGER, doc TEXT, bytes BLOB);
    INSERT INTO t VALUES (1, 'a', 10, '{"x": [1, 2.50, 12345678901234567890]}', x'00ff10'),
      (2, 'b', 20, '[not json', NULL), (3, 'c', 10, '  [true, null]', x''), (4, 'd', 30, 'plain', x'ff');
    CREATE TABLE "my ""odd"".table name" (v TEXT); INSERT INTO "my ""odd"".table name" VALUES ('here');
    CREATE TABLE keyless (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID; INSERT INTO keyless VALUES ('x', 1), ('y', 2);
    CREATE VIEW v AS SELECT id, name FROM t;
    CREATE TABLE sparse (id INTEGER PRIMARY KEY, v TEXT);
    INSERT INTO sparse VALUES (-9223372036854775808, 'min'), (1, 'one'), (9007199254740993, 'past 2^53'), (9007199254740994, 'next'), (9223372036854775807, 'max');`);
  d.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exportLines = (...flags: string[]) => runCli(['export', `sqlite:${db}`, '--lines', ...flags]);

describe('selecting rows', () => {
  it('--where with positional and named parameters, bound, never pasted', async () => {
    const positional = await exportLines('--table', 't', '--columns', 'id,name', '--where', 'score = ? AND name <> ?', '--param', '10', '--param', "c' OR 1=1 --");
    expect(positional).toMatchObject({ status: 0, stderr: '', stdout: '{"id":1,"name":"a"}\n{"id":3,"name":"c"}\n' });
    const named = await exportLines('--table', 't', '--columns', 'id', '--where', 'score >= :low', '--param', 'low=20');
    expect(named.stdout).toBe('{"id":2}\n{"id":4}\n');
    const literal = await exportLines('--query', 'SELECT ? AS v', '--param', '=low=20');
    expect(literal.stdout).toBe('{"v":"low=20"}\n');
  });

  it('--columns in the order given, --order-by, --limit', async () => {
    const result = await exportLines('--table', 't', '--columns', 'score,id', '--order-by', 'score DESC, id', '--limit', '3');
    expect(result.stdout).toBe('{"score":30,"id":4}\n{"score":20,"id":2}\n{"score":10,"id":1}\n');
  });

  it('quotes a table name with quotes, dots and spaces', async () => {
    const quoted = `"${ODD.replace(/"/g, '""')}"`;
    expect((await exportLines('--table', quoted)).stdout).toBe('{"v":"here"}\n');
    expect((await exportLines('--table', `main.${quoted}`)).stdout).toBe('{"v":"here"}\n');
  });

  it('names a missing table on one line, exit 1', async () => {
    const result = await exportLines('--table', 'nope');
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: no such table: nope\n' });
  });

  it('refuses table-only flags with --query', async () => {
    const result = await exportLines('--query', 'SELECT 1', '--where', 'x');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^jsondump: --where needs --table/);
  });
});

describe('shapes and types', () => {
  it('--arrays: the column names first, then each row as an array', async () => {
    const result = await runCli(['export', `sqlite:${db}`, '--table', 't', '--columns', 'id,name', '--arrays', '--limit', '2']);
    expect(result.stdout).toBe('[["id","name"],[1,"a"],[2,"b"]]\n');
    const lines = await exportLines('--table', 't', '--columns', 'id,name', '--arrays', '--limit', '1');
    expect(lines.stdout).toBe('["id","name"]\n[1,"a"]\n');
  });

  it('--json-cols embeds text that holds JSON (numbers exact), keeps the rest, and counts what was not JSON', async () => {
    const result = await exportLines('--table', 't', '--columns', 'id,doc', '--json-cols', '--verbose');
    expect(result.stdout).toBe('{"id":1,"doc":{"x":[1,2.50,12345678901234567890]}}\n{"id":2,"doc":"[not json"}\n{"id":3,"doc":[true,null]}\n{"id":4,"doc":"plain"}\n');
    expect(result.stderr).toContain('jsondump: warning: 1 --json-cols value was not JSON (kept as a string)\n');
    const indented = await runCli(['export', `sqlite:${db}`, '--query', 'SELECT doc FROM t WHERE id = 3', '--json-cols', '--indent', '2']);
    expect(indented.stdout).toBe('[\n  {\n    "doc": [\n      true,\n      null\n    ]\n  }\n]\n');
  });

  it('--blob base64 (the default), hex and object', async () => {
    const query = ['--query', 'SELECT bytes FROM t ORDER BY id'];
    expect((await exportLines(...query)).stdout).toBe('{"bytes":"AP8Q"}\n{"bytes":null}\n{"bytes":""}\n{"bytes":"/w=="}\n');
    expect((await exportLines(...query, '--blob', 'hex')).stdout).toBe('{"bytes":"00ff10"}\n{"bytes":null}\n{"bytes":""}\n{"bytes":"ff"}\n');
    expect((await exportLines(...query, '--blob', 'object')).stdout).toBe(
      '{"bytes":{"$base64":"AP8Q"}}\n{"bytes":null}\n{"bytes":{"$base64":""}}\n{"bytes":{"$base64":"/w=="}}\n',
    );
  });

  it('renames repeated column names (id_2) and says so', async () => {
    const result = await exportLines('--query', 'SELECT t.id, t2.id, t.id AS id_2 FROM t JOIN t AS t2 ON t2.id = t.id + 1 LIMIT 1', '--verbose');
    expect(result.stdout).toBe('{"id":1,"id_3":2,"id_2":1}\n');
    expect(result.stderr).toContain('jsondump: warning: columns of the same name renamed: id → id_3\n');
  });
});

describe('--jobs', () => {
  it('falls back to one job, and says why, where the rows cannot be split by key', async () => {
    for (const [flags, reason] of [
      [['--table', 'keyless'], 'keyless has no integer key (a view or a WITHOUT ROWID table)'],
      [['--table', 'v'], 'v has no integer key (a view or a WITHOUT ROWID table)'],
      [['--query', 'SELECT 1 AS x'], 'a --query cannot be split by key'],
      [['--table', 't', '--order-by', 'name'], '--order-by decides the order, not the key'],
    ] as const) {
      const result = await exportLines(...flags, '--jobs', '2', '--verbose');
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(`jsondump: --jobs 2: one job used: ${reason}\n`);
    }
  });

  it('splits the whole 64-bit key space exactly: no row lost or repeated at the edges or past 2^53', async () => {
    const one = await exportLines('--table', 'sparse');
    const split = await exportLines('--table', 'sparse', '--jobs', '2');
    expect(split).toMatchObject({ status: 0, stderr: '' });
    expect(split.stdout).toBe(one.stdout);
    expect(split.stdout.split('\n').filter(Boolean).map((line) => line.replace(/,.*/, ''))).toEqual([
      '{"id":-9223372036854775808', '{"id":1', '{"id":9007199254740993', '{"id":9007199254740994', '{"id":9223372036854775807',
    ]);
  });

  it('splits a table with a --where over key ranges, in key order', async () => {
    const result = await exportLines('--table', 't', '--columns', 'id', '--where', 'score < ?', '--param', '25', '--jobs', '3');
    expect(result).toMatchObject({ status: 0, stderr: '', stdout: '{"id":1}\n{"id":2}\n{"id":3}\n' });
  });
});

describe('a bad source', () => {
  it('a directory is named as one, not as a disk I/O error', async () => {
    const folder = join(dir, 'folder.db');
    mkdirSync(folder);
    const result = await runCli(['export', `sqlite:${folder}`, '--table', 't']);
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: `jsondump: cannot open ${folder}: it is a directory, not an SQLite database file\n` });
  });

  it('an SQL error midway is one line, exit 1, and the old file stays', async () => {
    const out = join(dir, 'midway.json');
    writeFileSync(out, 'old');
    const query = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i, abs(i - 90000 - 9223372036854775807 - 1) AS x FROM n';
    const result = await runCli(['export', `sqlite:${db}`, '--query', query, '-o', out]);
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: SQL error: integer overflow\n' });
    expect(readFileSync(out, 'utf8')).toBe('old');
  });

  it('a missing file, and a file that is not a database', async () => {
    const missing = await runCli(['export', `sqlite:${join(dir, 'missing.db')}`, '--table', 't']);
    expect(missing).toMatchObject({ status: 1, stdout: '', stderr: `jsondump: cannot read ${join(dir, 'missing.db')}: no such file\n` });
    const text = join(dir, 'text.db');
    writeFileSync(text, 'this is not an SQLite database, only text long enough to have a header page');
    const notDb = await runCli(['export', `sqlite:${text}`, '--table', 't']);
    expect(notDb).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: SQL error: file is not a database\n' });
  });
});
