// Without the drivers a source needs, one message names every missing package, so that one
// `npm install` fixes it (PostgreSQL needs pg and pg-cursor: not pg, then pg-cursor). Run on a
// copy of dist/ where no node_modules can be found, and on loadDrivers itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '../../../src/cli/errors.js';
import { loadDrivers } from '../../../src/cli/sql/load-driver.js';
import { ROOT } from '../helpers/cli.js';

let copy = '';
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'jsondump-nodrivers-'));
  cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ name: 'jsondump', version: '0.0.0', type: 'module' }));
});
afterAll(() => {
  rmSync(copy, { recursive: true, force: true });
});

const notFound = (pkg: string) => Object.assign(new Error(`Cannot find package '${pkg}' imported from /x.js`), { code: 'ERR_MODULE_NOT_FOUND' });

describe('missing drivers', () => {
  it('PostgreSQL without pg and pg-cursor: both named in one line', () => {
    // PG* variables cleared: the message must come before any connection is tried
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
    const r = spawnSync(process.execPath, [join(copy, 'dist/cli/main.js'), 'export', 'postgres://app@127.0.0.1:1/shop', '--table', 'orders'], { cwd: copy, env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('jsondump: a PostgreSQL source needs the pg and pg-cursor packages: npm install pg pg-cursor\n');
  });

  it('MySQL without mysql2: the one package', () => {
    const r = spawnSync(process.execPath, [join(copy, 'dist/cli/main.js'), 'export', 'mysql://app@127.0.0.1:1/shop', '--table', 'orders'], { cwd: copy, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('jsondump: a MySQL source needs the mysql2 package: npm install mysql2\n');
  });

  it('loadDrivers: every missing one named; the modules when all load; another failure passes through', async () => {
    const missing = () => Promise.reject(notFound('x'));
    await expect(loadDrivers('a PostgreSQL source', [['pg', missing], ['pg-cursor', missing]])).rejects.toThrow(
      new SourceError('a PostgreSQL source needs the pg and pg-cursor packages: npm install pg pg-cursor'),
    );
    await expect(loadDrivers('a PostgreSQL source', [['pg', async () => 1], ['pg-cursor', missing]])).rejects.toThrow(
      new SourceError('a PostgreSQL source needs the pg-cursor package: npm install pg-cursor'),
    );
    expect(await loadDrivers('x', [['a', async () => 1], ['b', async () => 'two']])).toEqual([1, 'two']);
    const boom = new Error('boom');
    await expect(loadDrivers('x', [['a', missing], ['b', () => Promise.reject(boom)]])).rejects.toBe(boom);
  });
});
