// A split export into the place of an earlier one replaces that set whole: every part the old
// manifest lists and the new set does not overwrite is removed in the same step that puts the
// new set in place, so a glob over the directory counts the table's rows once. A file named
// like a part that no manifest lists, or a manifest that is not one, is refused (exit 1) and
// nothing is touched. Files of other names are left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { runCli, tempDir } from '../helpers/cli.js';

let dir = '';
let db = '';
const ROWS = 2500;

beforeAll(() => {
  dir = tempDir('split-replace');
  db = join(dir, 'rows.db');
  execFileSync('sqlite3', [db, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${ROWS})
    INSERT INTO t SELECT i, 'row ' || i FROM seq;`]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
/** A fresh directory holding `files`. */
function caseDir(files: Record<string, string> = {}): string {
  const path = join(dir, `case-${seq++}`);
  execFileSync('mkdir', [path]);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(path, name), content);
  return path;
}

const split = (out: string, ...more: string[]) => runCli(['export', `sqlite:${db}`, '--table', 't', '--lines', '-o', out, ...more]);

/** Every line of every `out-*.jsonl*` file, as a reader that globs the directory gets them. */
function globbedRows(path: string): number {
  let rows = 0;
  for (const name of readdirSync(path).filter((n) => /^out-\d+\.jsonl(\.gz)?$/.test(n))) {
    const bytes = readFileSync(join(path, name));
    rows += (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8').split('\n').length - 1;
  }
  return rows;
}

/** The directory's files and their contents' digests. */
function snapshot(path: string): Record<string, string> {
  return Object.fromEntries(readdirSync(path).sort().map((n) => [n, createHash('sha256').update(readFileSync(join(path, n))).digest('hex')]));
}

describe('a shorter split export into the place of a longer one', () => {
  it('removes the parts of the earlier set that the new set does not replace', async () => {
    const path = caseDir();
    expect(await split(join(path, 'out.jsonl'), '--split-rows', '500')).toMatchObject({ status: 0, stderr: '' });
    expect(readdirSync(path)).toHaveLength(6);
    expect(await split(join(path, 'out.jsonl'), '--split-rows', '1000')).toMatchObject({ status: 0, stderr: '' });
    expect(readdirSync(path).sort()).toEqual(['out-00001.jsonl', 'out-00002.jsonl', 'out-00003.jsonl', 'out.manifest.json']);
    expect(globbedRows(path)).toBe(ROWS);
    const manifest = JSON.parse(readFileSync(join(path, 'out.manifest.json'), 'utf8')) as { files: { name: string }[] };
    expect(manifest.files.map((f) => f.name)).toEqual(['out-00001.jsonl', 'out-00002.jsonl', 'out-00003.jsonl']);
  });

  it('also with --no-atomic, and when the new set is compressed and the old one was not', async () => {
    const path = caseDir();
    expect(await split(join(path, 'out.jsonl'), '--split-rows', '400')).toMatchObject({ status: 0 });
    expect(await split(join(path, 'out.jsonl'), '--split-rows', '1000', '--no-atomic')).toMatchObject({ status: 0, stderr: '' });
    expect(readdirSync(path).sort()).toEqual(['out-00001.jsonl', 'out-00002.jsonl', 'out-00003.jsonl', 'out.manifest.json']);
    expect(globbedRows(path)).toBe(ROWS);
    expect(await split(join(path, 'out.jsonl.gz'), '--split-rows', '2000')).toMatchObject({ status: 0, stderr: '' });
    expect(readdirSync(path).sort()).toEqual(['out-00001.jsonl.gz', 'out-00002.jsonl.gz', 'out.manifest.json']);
    expect(globbedRows(path)).toBe(ROWS);
  });

  it('leaves files of other names alone', async () => {
    const others = { 'out.jsonl': 'mine', 'other-00001.jsonl': 'theirs', 'out-notes.txt': 'notes', 'out-1.jsonl': 'short number' };
    const path = caseDir(others);
    expect(await split(join(path, 'out.jsonl'), '--split-rows', '500')).toMatchObject({ status: 0 });
    expect(await split(join(path, 'out.jsonl'), '--split-rows', '2500')).toMatchObject({ status: 0, stderr: '' });
    for (const [name, content] of Object.entries(others)) expect(readFileSync(join(path, name), 'utf8')).toBe(content);
    expect(readdirSync(path).sort()).toEqual([...Object.keys(others), 'out-00001.jsonl', 'out.manifest.json'].sort());
  });
});

describe('refused, and nothing touched', () => {
  it('a file named like a part that the manifest does not list', async () => {
    const path = caseDir();
    expect(await split(join(path, 'out.jsonl'), '--split-rows', '1000')).toMatchObject({ status: 0 });
    writeFileSync(join(path, 'out-00007.jsonl'), '{"stray": true}\n');
    const before = snapshot(path);
    const result = await split(join(path, 'out.jsonl'), '--split-rows', '500');
    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toBe(
      `jsondump: ${join(path, 'out-00007.jsonl')} is named like a part of this export, but ${join(path, 'out.manifest.json')} does not list it: remove it or write the parts elsewhere (it is neither mixed into the new set nor deleted)\n`,
    );
    expect(snapshot(path)).toEqual(before);
  });

  it('a file named like a part, and no manifest', async () => {
    const path = caseDir({ 'out-00001.jsonl': 'left from elsewhere\n' });
    const result = await split(join(path, 'out.jsonl'), '--split-rows', '1000');
    expect(result).toMatchObject({ status: 1 });
    expect(result.stderr).toBe(
      `jsondump: ${join(path, 'out-00001.jsonl')} is named like a part of this export, but no manifest (${join(path, 'out.manifest.json')}) lists it: remove it or write the parts elsewhere (it is neither mixed into the new set nor deleted)\n`,
    );
    expect(snapshot(path)).toEqual(snapshot(caseDir({ 'out-00001.jsonl': 'left from elsewhere\n' })));
  });

  it('a manifest that is not one, or that names files outside the set', async () => {
    for (const content of ['old manifest', '{"files": [{"name": "../rows.db"}]}', '{"files": [{"name": "other.txt"}]}', '{"files": "x"}']) {
      const path = caseDir({ 'out.manifest.json': content, 'other.txt': 'keep' });
      const result = await split(join(path, 'out.jsonl'), '--split-rows', '1000');
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^jsondump: ${join(path, 'out.manifest.json')} is not a manifest of a split export of this name \\(`));
      expect(readdirSync(path).sort()).toEqual(['other.txt', 'out.manifest.json']);
      expect(readFileSync(join(path, 'out.manifest.json'), 'utf8')).toBe(content);
    }
  });
});
