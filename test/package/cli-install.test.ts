// The command line from a library-only install: the package brings no database driver, so the
// CLI must start, export what needs no driver, and name the package to install for what does.
// A user who installs a driver beside it (here: the checkout's own, linked) gets that source.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, useScratchInstall } from './scratch.js';

const scratch = useScratchInstall('cli-install');
const cli = (): string => path.join(scratch.dir, 'node_modules', '.bin', 'jsondump');

/** stderr as one line: the CLI's failures are a single line naming what to do. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}

describe('the CLI of a package installed without drivers', () => {
  it('starts: --help and --version through npx', () => {
    expect(scratch.run('npx', ['--no-install', 'jsondump', '--help']).stdout).toContain('jsondump export');
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(scratch.run('npx', ['--no-install', 'jsondump', '--version']).stdout.trim()).toContain(version.version);
  });

  it('exports JSON Lines, which needs no driver', () => {
    scratch.write({ 'in.jsonl': '{"id":1,"name":"é"}\n{"id":2,"name":null}\n' });
    expect(JSON.parse(scratch.run(cli(), ['export', 'in.jsonl']).stdout)).toEqual([{ id: 1, name: 'é' }, { id: 2, name: null }]);
  });

  const ROWS = [
    { id: 1, name: 'é' },
    { id: 2, name: null },
  ];

  /** A SQLite database made with the checkout's better-sqlite3 (the scratch project has none). */
  function makeDb(): void {
    if (fs.existsSync(path.join(scratch.dir, 'db.sqlite'))) return;
    const driver = JSON.stringify(path.join(ROOT, 'node_modules', 'better-sqlite3'));
    scratch.write({
      'make-db.cjs': `const Database = require(${driver});
const db = new Database('db.sqlite');
db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'é'), (2, NULL)");
db.close();`,
    });
    scratch.run(process.execPath, ['make-db.cjs']);
  }

  /** Node 22.13+ ships node:sqlite, which the CLI may use when better-sqlite3 is absent. */
  async function hasNodeSqlite(): Promise<boolean> {
    return import('node:sqlite' as string).then(() => true, () => false);
  }

  it('sqlite without better-sqlite3: one line naming the package to install (or node:sqlite, where the runtime has it)', async () => {
    makeDb();
    const r = scratch.spawn(cli(), ['export', 'sqlite:db.sqlite', '--table', 't']);
    if (await hasNodeSqlite()) {
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(ROWS);
      return;
    }
    expect(r.status, r.stderr).toBe(1);
    const line = oneLine(r.stderr);
    expect(line).toContain('better-sqlite3');
    expect(line).toMatch(/install/);
    expect(r.stdout).toBe('');
  });

  for (const [source, driver] of [
    ['postgres://app@127.0.0.1:1/shop', 'pg'],
    ['mysql://app@127.0.0.1:1/shop', 'mysql2'],
  ] as const) {
    it(`${source.split(':')[0]} without ${driver}: exit 1, one line naming the package to install`, () => {
      const r = scratch.spawn(cli(), ['export', source, '--table', 't']);
      expect(r.status, r.stderr).toBe(1);
      const line = oneLine(r.stderr);
      expect(line).toContain(driver);
      expect(line).toMatch(/install/);
      expect(r.stdout).toBe('');
    });
  }

  it('sqlite with better-sqlite3 installed beside it', () => {
    makeDb();
    // linked, not installed: its native build takes minutes; it finds its own dependencies
    // from its real path in the checkout
    fs.symlinkSync(path.join(ROOT, 'node_modules', 'better-sqlite3'), path.join(scratch.dir, 'node_modules', 'better-sqlite3'), 'dir');
    expect(JSON.parse(scratch.run(cli(), ['export', 'sqlite:db.sqlite', '--table', 't']).stdout)).toEqual(ROWS);
  });
});
