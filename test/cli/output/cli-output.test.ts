// Where the CLI's output goes, end to end: stdout, -o (atomic or in place), compression by the
// name, numbered parts with a manifest, row-count checks and --max-bytes that leave no file,
// and -o refused when it names the source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { dumps, dumpLines } from '../../../src/index.js';
import { useOtherUser } from '../../helpers/other-user.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { pythonSqlite } from '../helpers/python-json.js';

let dir = '';
let db = '';
let jsonl = '';
const ROWS = 2500;
/** The table's rows as better-sqlite3 gives them (no integer there passes 2^53). */
let rows: Record<string, unknown>[] = [];
const otherUser = useOtherUser();

beforeAll(() => {
  dir = tempDir('output');
  chmodSync(dir, 0o755);
  db = join(dir, 'rows.db');
  const d = new Database(db);
  d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL);
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${ROWS})
    INSERT INTO t SELECT i, 'Zoë "' || i || '" 😀', i / 8.0 FROM seq`);
  rows = d.prepare('SELECT * FROM t').all() as Record<string, unknown>[];
  d.close();
  chmodSync(db, 0o644);
  jsonl = join(dir, 'in.jsonl');
  writeFileSync(jsonl, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory for one test, holding `files` (inside the file's directory, removed with it). */
function caseDir(files: Record<string, string> = {}): string {
  const path = mkdtempSync(join(dir, 'case-'));
  chmodSync(path, 0o755);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(path, name), content);
  return path;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const table = [`sqlite:${'DB'}`, '--table', 't'];
const sqlite = (...more: string[]) => [...table.map((a) => a.replace('DB', db)), ...more];

async function linesText(records: unknown[]): Promise<string> {
  let text = '';
  const { Writable } = await import('node:stream');
  await dumpLines(records, new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) }));
  return text;
}

describe('stdout', () => {
  it('a JSON document ends with a newline; -o - is stdout too', async () => {
    const expected = dumps(rows) + '\n';
    expect(await runCli(['export', ...sqlite()])).toMatchObject({ status: 0, stdout: expected, stderr: '' });
    expect(await runCli(['export', ...sqlite('-o', '-')])).toMatchObject({ status: 0, stdout: expected, stderr: '' });
  });

  it('JSON Lines: every record and its newline, nothing more; no records: nothing', async () => {
    expect(await runCli(['export', ...sqlite('--lines')])).toMatchObject({ status: 0, stdout: await linesText(rows) });
    const none = await runCli(['export', `sqlite:${db}`, '--query', 'SELECT * FROM t WHERE 0', '--lines']);
    expect(none).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const empty = await runCli(['export', `sqlite:${db}`, '--query', 'SELECT * FROM t WHERE 0']);
    expect(empty).toMatchObject({ status: 0, stdout: '[]\n', stderr: '' });
  });
});

describe('-o FILE', () => {
  it('holds what dump(rows, FILE, options) writes, with the same options', async () => {
    const out = join(caseDir(), 'out.json');
    const fromText = await runCli(['export', jsonl, '-o', out, '--indent', '\t', '--dialect', 'python']);
    expect(fromText).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe(dumps(rows, { indent: '\t', dialect: 'python' }));
    const columns = 'SELECT score, name, id FROM t';
    const fromTable = await runCli(['export', `sqlite:${db}`, '--query', columns, '-o', out, '--indent', '\t', '--sort-keys', '--dialect', 'python']);
    expect(fromTable).toMatchObject({ status: 0, stdout: '', stderr: '' });
    // score is REAL: Python's sqlite3 reads floats (1.0, not 1), as the export writes them
    expect(readFileSync(out, 'utf8')).toBe(pythonSqlite(db, columns, { indent: '\t', sort_keys: true }, true).join('\n'));
  });

  it('--no-atomic writes the file in place (same inode); a failure removes the partial file', async () => {
    const path = caseDir({ 'out.json': 'old content' });
    const out = join(path, 'out.json');
    const inode = statSync(out).ino;
    expect(await runCli(['export', ...sqlite('-o', out, '--no-atomic')])).toMatchObject({ status: 0, stderr: '' });
    expect(statSync(out).ino).toBe(inode);
    expect(readFileSync(out, 'utf8')).toBe(dumps(rows));
    // abs() of the smallest int64 overflows: at row 1, before anything is written, the file is kept as it was
    const overflow = 'abs(-9223372036854775807 - 1)';
    const first = await runCli(['export', `sqlite:${db}`, '--query', `SELECT ${overflow} AS x FROM t`, '-o', out, '--no-atomic']);
    expect(first).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: SQL error: integer overflow\n' });
    expect(readFileSync(out, 'utf8')).toBe(dumps(rows));
    // at row 150,001, long after output began: the partial file is removed
    const late = `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 200000)
      SELECT i, CASE WHEN i > 150000 THEN ${overflow} ELSE i END AS x FROM seq`;
    const failed = await runCli(['export', `sqlite:${db}`, '--query', late, '-o', out, '--no-atomic']);
    expect(failed).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: SQL error: integer overflow\n' });
    expect(readdirSync(path)).toEqual([]);
  });

  it('a directory the user cannot write: a hint, and --no-atomic writes an existing file there', async () => {
    const path = caseDir({ 'out.json': '' });
    chmodSync(join(path, 'out.json'), 0o666);
    chmodSync(path, 0o555);
    const run = (...more: string[]) =>
      spawnSync(process.execPath, [otherUser.cli, 'export', jsonl, '-o', join(path, 'out.json'), ...more], { encoding: 'utf8', ...otherUser.ids });
    const refused = run();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `jsondump: cannot write ${join(path, 'out.json')}: EACCES: permission denied (a temporary file is written in ${path} first: that directory must be writable; --no-atomic writes an existing file in place)\n`,
    );
    expect(run('--no-atomic')).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(join(path, 'out.json'), 'utf8')).toBe(dumps(rows));
    chmodSync(path, 0o755);
  });

  it('naming a file the source reads is refused (by any name), and the source is intact', async () => {
    const path = caseDir();
    const before = readFileSync(db);
    const link = join(path, 'link.db');
    symlinkSync(db, link);
    const message = (out: string) => `jsondump: -o ${out} is a file the source reads: write the output somewhere else\nTry 'jsondump --help' for more information.\n`;
    expect(await runCli(['export', ...sqlite('-o', db)])).toMatchObject({ status: 2, stdout: '', stderr: message(db) });
    expect(await runCli(['export', ...sqlite('-o', link)])).toMatchObject({ status: 2, stdout: '', stderr: message(link) });
    expect(await runCli(['export', jsonl, '-o', jsonl])).toMatchObject({ status: 2, stdout: '', stderr: message(jsonl) });
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

describe('compression chosen by the name', () => {
  it('.gz and .br hold the same bytes as the plain file', async () => {
    const path = caseDir();
    for (const [name, decompress] of [['out.jsonl.gz', gunzipSync], ['out.jsonl.br', brotliDecompressSync]] as const) {
      const out = join(path, name);
      expect(await runCli(['export', ...sqlite('--lines', '-o', out)])).toMatchObject({ status: 0, stderr: '' });
      expect(decompress(readFileSync(out)).toString('utf8')).toBe(await linesText(rows));
    }
    expect(readdirSync(path).sort()).toEqual(['out.jsonl.br', 'out.jsonl.gz']);
  });
});

interface Manifest {
  files: { name: string; rows: number; bytes: number; sha256: string }[];
  rows: number;
  bytes: number;
}

/** The manifest, checked against the files it lists. */
function checkedManifest(path: string, manifestName: string): Manifest {
  const manifest = JSON.parse(readFileSync(join(path, manifestName), 'utf8')) as Manifest;
  for (const file of manifest.files) {
    const bytes = readFileSync(join(path, file.name));
    expect({ bytes: file.bytes, sha256: file.sha256 }).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
  }
  expect(manifest.rows).toBe(manifest.files.reduce((n, f) => n + f.rows, 0));
  expect(manifest.bytes).toBe(manifest.files.reduce((n, f) => n + f.bytes, 0));
  return manifest;
}

describe('--split-rows and --split-bytes', () => {
  it('--split-rows: numbered JSON documents, each dump(its rows), then the manifest', async () => {
    const path = caseDir();
    const result = await runCli(['export', ...sqlite('--split-rows', '1000', '-o', join(path, 'out.json'), '--verbose')]);
    expect(result).toMatchObject({ status: 0, stdout: '' });
    expect(readdirSync(path).sort()).toEqual(['out-00001.json', 'out-00002.json', 'out-00003.json', 'out.manifest.json']);
    const manifest = checkedManifest(path, 'out.manifest.json');
    expect(manifest.files.map((f) => [f.name, f.rows])).toEqual([['out-00001.json', 1000], ['out-00002.json', 1000], ['out-00003.json', 500]]);
    for (const [i, file] of manifest.files.entries()) {
      expect(readFileSync(join(path, file.name), 'utf8')).toBe(dumps(rows.slice(i * 1000, (i + 1) * 1000)));
    }
    const kB = (manifest.bytes / 1000).toFixed(1);
    expect(result.stderr).toBe(`jsondump: wrote 2,500 rows, ${kB} kB to ${join(path, 'out-00001.json')}, … and ${join(path, 'out.manifest.json')}\n`);
  });

  it('--split-bytes: JSON Lines parts of at most SIZE bytes, cut between records, compressed by the name', async () => {
    const path = caseDir();
    expect(await runCli(['export', ...sqlite('--lines', '--split-bytes', '20k', '-o', join(path, 'rows.jsonl.gz'))])).toMatchObject({ status: 0, stderr: '' });
    const manifest = checkedManifest(path, 'rows.manifest.json');
    expect(manifest.rows).toBe(ROWS);
    const texts = manifest.files.map((f) => gunzipSync(readFileSync(join(path, f.name))).toString('utf8'));
    expect(texts.join('')).toBe(await linesText(rows));
    for (const [i, text] of texts.entries()) {
      expect(manifest.files[i].name).toBe(`rows-${String(i + 1).padStart(5, '0')}.jsonl.gz`);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(20 * 1024);
      expect(text.split('\n').length - 1).toBe(manifest.files[i].rows);
    }
    // full parts: the next record would not have fitted
    for (const [i, text] of texts.slice(0, -1).entries()) expect(Buffer.byteLength(text + texts[i + 1].split('\n')[0] + '\n')).toBeGreaterThan(20 * 1024);
  });

  it('a failure midway leaves no part and no manifest, and earlier parts as they were', async () => {
    const oldManifest = JSON.stringify({ files: [{ name: 'out-00001.jsonl', rows: 0, bytes: 8, sha256: '' }], rows: 0, bytes: 8 });
    const path = caseDir({ 'out-00001.jsonl': 'old part', 'out.manifest.json': oldManifest });
    const failing = `SELECT id, CASE WHEN id > 2200 THEN abs(-9223372036854775807 - 1) ELSE id END AS x FROM t`;
    const result = await runCli(['export', `sqlite:${db}`, '--query', failing, '--lines', '--split-rows', '500', '-o', join(path, 'out.jsonl')]);
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: SQL error: integer overflow\n' });
    expect(readdirSync(path).sort()).toEqual(['out-00001.jsonl', 'out.manifest.json']);
    expect(readFileSync(join(path, 'out-00001.jsonl'), 'utf8')).toBe('old part');
    expect(readFileSync(join(path, 'out.manifest.json'), 'utf8')).toBe(oldManifest);
  });
});

describe('--assert-rows, --min-rows and --max-bytes: exit 1 and no file when not met', () => {
  const cases: [string, string[], string][] = [
    ['--assert-rows', ['--assert-rows', '2499'], 'jsondump: 2,500 records, not the 2,499 that --assert-rows expects: nothing written\n'],
    ['--min-rows', ['--min-rows', '2501'], 'jsondump: 2,500 records, fewer than the 2,501 that --min-rows expects: nothing written\n'],
    ['--max-bytes', ['--max-bytes', '100k'], 'jsondump: the output passes --max-bytes (102,400 bytes)\n'],
  ];
  for (const [flag, args, message] of cases) {
    it(`${flag} not met: the old file kept, no temporary file; with --split-rows no part`, async () => {
      const path = caseDir({ 'out.json': 'old content' });
      expect(await runCli(['export', ...sqlite('-o', join(path, 'out.json'), ...args)])).toMatchObject({ status: 1, stdout: '', stderr: message });
      expect(readFileSync(join(path, 'out.json'), 'utf8')).toBe('old content');
      expect(await runCli(['export', ...sqlite('-o', join(path, 'p.json'), '--split-rows', '100', ...args)])).toMatchObject({ status: 1, stderr: message });
      expect(readdirSync(path)).toEqual(['out.json']);
    });
  }

  it('--max-bytes limits the whole export, all parts together: exactly the total passes, a byte less fails', async () => {
    const split = (path: string) => ['--lines', '--split-rows', '1000', '-o', join(path, 'out.jsonl.gz')];
    const total = Buffer.byteLength(await linesText(rows));
    // every part is far below the limit; only their sum reaches it (JSON bytes, before compression)
    const exact = caseDir();
    expect(await runCli(['export', ...sqlite(...split(exact), '--max-bytes', String(total))])).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(readFileSync(join(exact, 'out.manifest.json'), 'utf8'))).toMatchObject({ rows: ROWS, files: [{}, {}, {}] });
    const less = caseDir();
    const over = await runCli(['export', ...sqlite(...split(less), '--max-bytes', String(total - 1))]);
    expect(over).toMatchObject({ status: 1, stdout: '', stderr: `jsondump: the output passes --max-bytes (${(total - 1).toLocaleString('en-US')} bytes)\n` });
    expect(readdirSync(less)).toEqual([]);
  });

  it('met: written as usual', async () => {
    const path = caseDir();
    for (const flag of [['--assert-rows', '2500'], ['--min-rows', '2500'], ['--min-rows', '0'], ['--max-bytes', '10M']]) {
      expect(await runCli(['export', ...sqlite('-o', join(path, 'out.json'), ...flag)])).toMatchObject({ status: 0, stderr: '' });
      expect(readFileSync(join(path, 'out.json'), 'utf8')).toBe(dumps(rows));
    }
    const none = await runCli(['export', `sqlite:${db}`, '--query', 'SELECT 1 WHERE 0', '--assert-rows', '0', '-o', join(path, 'none.json')]);
    expect(none).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(join(path, 'none.json'), 'utf8')).toBe('[]');
  });
});

describe('the closing summary', () => {
  it('goes to stderr with --verbose only, when stderr is not a terminal; -q silences it', async () => {
    const path = caseDir();
    const out = join(path, 'out.json');
    expect(await runCli(['export', ...sqlite('-o', out)])).toMatchObject({ status: 0, stderr: '' });
    const size = statSync(out).size;
    expect(await runCli(['export', ...sqlite('-o', out, '--verbose')])).toMatchObject({
      status: 0,
      stderr: `jsondump: wrote 2,500 rows, ${(size / 1000).toFixed(1)} kB to ${out}\n`,
    });
    expect(await runCli(['export', ...sqlite('-o', out, '-q')])).toMatchObject({ status: 0, stderr: '' });
    expect(await runCli(['export', ...sqlite('--verbose')])).toMatchObject({ status: 0, stderr: `jsondump: wrote 2,500 rows, ${((size + 1) / 1000).toFixed(1)} kB to stdout\n` });
  });
});
