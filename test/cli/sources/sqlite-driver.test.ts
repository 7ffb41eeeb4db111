// Which SQLite driver serves (node:sqlite where the runtime has all of it), and the one line a
// missing driver gives.
import { describe, expect, it } from 'vitest';
import { loadDriver } from '../../../src/cli/sql/load-driver.js';
import { SourceError } from '../../../src/cli/errors.js';
import { chooseSqliteDriver } from '../../../src/cli/sql/sqlite-driver.js';

const FULL = ['iterate', 'all', 'setReadBigInts', 'setReturnArrays', 'columns'];

describe('SQLite driver selection', () => {
  it('prefers node:sqlite from Node 22.13 when its statements have every method used', () => {
    expect(chooseSqliteDriver('v24.11.0', FULL)).toBe('node:sqlite');
    expect(chooseSqliteDriver('v22.13.0', FULL)).toBe('node:sqlite');
    expect(chooseSqliteDriver('v23.0.0', FULL)).toBe('node:sqlite');
  });

  it('keeps better-sqlite3 on older runtimes, or when a method is missing', () => {
    expect(chooseSqliteDriver('v22.12.0', FULL)).toBe('better-sqlite3');
    expect(chooseSqliteDriver('v20.19.0', FULL)).toBe('better-sqlite3');
    expect(chooseSqliteDriver('v22.13.0', ['iterate', 'setReadBigInts', 'columns'])).toBe('better-sqlite3');
    expect(chooseSqliteDriver('v24.0.0', null)).toBe('better-sqlite3');
  });

  it('this runtime gets the driver the rule picks', async () => {
    const { openSqliteDatabase } = await import('../../../src/cli/sql/sqlite-driver.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const Database = (await import('better-sqlite3')).default;
    const dir = mkdtempSync(join(tmpdir(), 'jsondump-driver-'));
    try {
      const path = join(dir, 'x.db');
      new Database(path).exec('CREATE TABLE t (a INTEGER, b BLOB); INSERT INTO t VALUES (9007199254740993, x\'00ff\')').close();
      const db = await openSqliteDatabase(path);
      let api: string[] | null = null;
      try {
        const mod = (await import('node:sqlite' as string)) as { StatementSync: { prototype: object } };
        api = Object.getOwnPropertyNames(mod.StatementSync.prototype);
      } catch {
        api = null;
      }
      expect(db.driver).toBe(chooseSqliteDriver(process.version, api));
      // the same values from either driver: integers as bigint, bytes as Uint8Array
      const rows = [...db.prepare('SELECT a, b FROM t').rows([], {})];
      expect(rows).toEqual([[9007199254740993n, Uint8Array.from([0, 255])]].map(([a, b]) => [a, expect.objectContaining({ length: (b as Uint8Array).length })]));
      expect(Array.from(rows[0][1] as Uint8Array)).toEqual([0, 255]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a missing driver', () => {
  it('is one line naming the package to install', async () => {
    const load = () => import('jsondump-no-such-driver' as string);
    await expect(loadDriver('mysql2', 'a MySQL source', load)).rejects.toThrow(new SourceError('a MySQL source needs the mysql2 package: npm install mysql2'));
  });

  it('passes any other failure through', async () => {
    const boom = new Error('boom');
    await expect(loadDriver('pg', 'a PostgreSQL source', () => Promise.reject(boom))).rejects.toBe(boom);
  });
});
