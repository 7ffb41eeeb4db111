// How an SQLite source is spelled: sqlite:PATH, and the URL forms sqlite://RELATIVE/PATH and
// sqlite:///ABSOLUTE/PATH (percent escapes decoded, as in a URL). A bare file name that is an
// SQLite database is refused with the spelling that reads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';

let dir = '';
let rows: unknown[] = [];

beforeAll(() => {
  dir = tempDir('sqlite-spellings');
  mkdirSync(join(dir, 'sub dir'));
  const sql = `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'é');`;
  for (const db of ['app.db', join('sub dir', 'my app.db')]) execFileSync('sqlite3', [join(dir, db), sql]);
  writeFileSync(join(dir, 'notes.db'), 'not a database');
  rows = JSON.parse(execFileSync('sqlite3', ['-json', join(dir, 'app.db'), 'SELECT * FROM t'], { encoding: 'utf8' })) as unknown[];
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const exported = (source: string) => runCli(['export', source, '--table', 't'], { cwd: dir });

describe('the URL forms of an SQLite source', () => {
  it('sqlite://RELATIVE and sqlite:///ABSOLUTE read the database, as sqlite:PATH does', async () => {
    for (const source of ['sqlite:app.db', 'sqlite://app.db', `sqlite:///${join(dir, 'app.db').slice(1)}`]) {
      const result = await exported(source);
      expect({ source, status: result.status, stderr: result.stderr }).toEqual({ source, status: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toEqual(rows);
    }
  });

  it('percent escapes are decoded in the URL forms only', async () => {
    const escaped = await exported('sqlite://sub%20dir/my%20app.db');
    expect(escaped).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(escaped.stdout)).toEqual(rows);
    expect(await exported('sqlite:sub dir/my app.db')).toMatchObject({ status: 0, stderr: '' });
    const literal = await exported('sqlite:sub%20dir/my%20app.db');
    expect(literal).toMatchObject({ status: 1, stderr: 'jsondump: cannot read sub%20dir/my%20app.db: no such file\n' });
  });

  it('a URL form with no path, a query or a bad escape: bad usage, said as such', async () => {
    for (const [source, message] of [
      ['sqlite://', 'sqlite:// needs a path: sqlite://RELATIVE/PATH or sqlite:///ABSOLUTE/PATH (or sqlite:PATH)'],
      ['sqlite://app.db?mode=ro', 'sqlite://app.db?mode=ro: an SQLite URL takes a path only, no ?query or #fragment (write ? as %3F, # as %23)'],
      ['sqlite://app%zz.db', 'sqlite://app%zz.db: a bad percent escape in the path'],
    ]) {
      expect(await exported(source)).toMatchObject({ status: 2, stderr: `jsondump: ${message}\nTry 'jsondump --help' for more information.\n` });
    }
  });
});

describe('a bare file name', () => {
  it('an SQLite database: refused, with the spelling that reads it', async () => {
    const result = await exported('app.db');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^jsondump: unknown source "app\.db": .*; app\.db is an SQLite database: did you mean sqlite:app\.db\?\n/);
  });

  it('another file: no such hint', async () => {
    const result = await exported('notes.db');
    expect(result.status).toBe(2);
    expect(result.stderr).not.toMatch(/did you mean/);
  });
});
