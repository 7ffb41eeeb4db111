// A failure while a split set is put in place leaves the whole old set or the whole new set,
// never a mix and never neither: each call of the commit fails in turn (a fake file system, as
// test/helpers/fake-fs.ts does for the library's sinks), and the directory is then exactly the
// old set. A commit whose undoing fails too, or a process that dies at any call, leaves hidden
// files that the next split export into the same place turns into the whole new set. Removing
// the old set's files after the commit is no failure of the export: a warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_SET_FS, type SetFs } from '../../../src/cli/output/part-set.js';
import { splitTarget } from '../../../src/cli/output/targets.js';
import { runCli } from '../helpers/cli.js';

let root = '';
let seq = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'jsondump-commit-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const fresh = () => mkdtempSync(join(root, `d${seq++}-`));
const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => JSON.stringify({ id: from + i, set: from })).join('\n') + '\n';

/** Writes a set of parts holding `counts` records each into `dir`/out-*.jsonl through `fs`; resolves with the target's notes. */
async function writeSet(dir: string, counts: number[], fs: SetFs = NODE_SET_FS, options: { abort?: boolean } = {}): Promise<string[]> {
  const target = await splitTarget(join(dir, 'out.jsonl'), true, () => {}, fs);
  try {
    let from = counts.length * 1000;
    for (const count of counts) {
      const output = await target.next();
      await output.write(Buffer.from(lines(from, count)));
      await target.done(output, count);
      from += count;
    }
    await target.commit();
  } catch (error) {
    if (options.abort !== false) await target.abort();
    throw error;
  }
  return target.notes?.() ?? [];
}

/** Every file of `dir` (hidden ones too) with its content's digest. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, createHash('sha256').update(readFileSync(join(dir, n))).digest('hex')]));
}

type Call = { op: keyof SetFs; n: number };

/** NODE_SET_FS, failing the calls `fails` picks (numbered across every op, from 1) with EIO. */
function failingFs(fails: (call: Call) => boolean): { fs: SetFs; calls: Call[] } {
  const calls: Call[] = [];
  const wrap = <K extends keyof SetFs>(op: K): SetFs[K] =>
    (async (...args: unknown[]) => {
      const call = { op, n: calls.length + 1 };
      calls.push(call);
      if (fails(call)) throw Object.assign(new Error(`EIO: injected fault, ${op}`), { code: 'EIO', syscall: op });
      return (NODE_SET_FS[op] as (...a: unknown[]) => Promise<unknown>)(...args);
    }) as SetFs[K];
  const fs = { rename: wrap('rename'), unlink: wrap('unlink'), readdir: wrap('readdir'), readText: wrap('readText'), syncDirectory: wrap('syncDirectory') };
  return { fs, calls };
}

const OLD = [700, 700, 700, 500];
const NEW = [1200, 900];

/** The old set in a fresh directory, and what the new set looks like once it replaces it there. */
async function fixture() {
  const dir = fresh();
  await writeSet(dir, OLD);
  const old = snapshot(dir);
  const replaced = fresh();
  cpSync(dir, replaced, { recursive: true });
  const counting = failingFs(() => false);
  await writeSet(replaced, NEW, counting.fs);
  return { dir, old, replacedBy: snapshot(replaced), calls: counting.calls };
}

describe('a failure while the set is put in place', () => {
  it('at each call of the commit in turn: the old set is back, whole, and nothing hidden is left', async () => {
    const { old, replacedBy, calls } = await fixture();
    expect(Object.keys(old)).toEqual(['out-00001.jsonl', 'out-00002.jsonl', 'out-00003.jsonl', 'out-00004.jsonl', 'out.manifest.json']);
    expect(Object.keys(replacedBy)).toEqual(['out-00001.jsonl', 'out-00002.jsonl', 'out.manifest.json']);
    // the calls up to the commit (the manifest's rename); the removals after it are no failure
    const commitAt = calls.findLastIndex((c) => c.op === 'rename') + 1;
    expect(calls.slice(0, commitAt).filter((c) => c.op === 'rename').length).toBe(1 + 4 + 2 + 1);
    for (let k = 1; k <= commitAt; k++) {
      const dir = await fixtureDir(old);
      const { fs } = failingFs((c) => c.n === k);
      await expect(writeSet(dir, NEW, fs), `call ${k}: ${calls[k - 1].op}`).rejects.toThrow(/EIO: injected fault/);
      expect(snapshot(dir), `call ${k}: ${calls[k - 1].op}`).toEqual(old);
    }
  });

  it('after the commit, removing the old files fails: the new set is in place, a warning says so, the next export clears them', async () => {
    const { dir, replacedBy } = await fixture();
    const { fs } = failingFs((c) => c.op === 'unlink');
    const notes = await writeSet(dir, NEW, fs);
    expect(notes).toEqual([expect.stringMatching(/^warning: the earlier set's files could not be removed from their hidden names: /)]);
    const visible = Object.fromEntries(Object.entries(snapshot(dir)).filter(([n]) => !n.startsWith('.')));
    expect(visible).toEqual(replacedBy);
    expect(Object.keys(snapshot(dir)).filter((n) => n.startsWith('.'))).toHaveLength(5);
    await writeSet(dir, NEW);
    expect(snapshot(dir)).toEqual(replacedBy);
  });
});

/** A fresh directory holding the old set again (written the same way, so the same bytes). */
async function fixtureDir(old: Record<string, string>): Promise<string> {
  const dir = fresh();
  await writeSet(dir, OLD);
  expect(snapshot(dir)).toEqual(old);
  return dir;
}

describe('a commit left halfway', () => {
  it('its undoing fails too: the error says so, and the next export puts the whole new set in place first', async () => {
    const { old, replacedBy, calls } = await fixture();
    const renames = calls.filter((c) => c.op === 'rename').map((c) => c.n);
    // fail a rename (an old part going aside, a new part going in place, the manifest's) and
    // every rename after it: nothing can be undone
    for (const from of [renames[1], renames[5], renames[7]]) {
      const dir = await fixtureDir(old);
      const { fs } = failingFs((c) => c.op === 'rename' && c.n >= from);
      await expect(writeSet(dir, NEW, fs)).rejects.toThrow(/could not be undone .*: the next split export into .* puts the new set in place first$/);
      expect(snapshot(dir)).not.toEqual(old);
      // the next export finishes it, says so, then writes its own set (the old set again, here)
      const notes = await writeSet(dir, OLD);
      expect(notes).toEqual([expect.stringMatching(/^warning: an earlier export into .* was interrupted while it put its set in place/)]);
      expect(snapshot(dir)).toEqual(old);
    }
    // and what the interrupted commit left is, finished, the whole new set
    const dir = await fixtureDir(old);
    await expect(writeSet(dir, NEW, failingFs((c) => c.op === 'rename' && c.n >= renames[5]).fs)).rejects.toThrow(/could not be undone/);
    const probe = failingFs(() => false);
    const target = await splitTarget(join(dir, 'out.jsonl'), true, () => {}, probe.fs);
    await target.abort();
    expect(snapshot(dir)).toEqual(replacedBy);
  });

  it('the process dies at any call: the next export finds the whole old set or the whole new set', async () => {
    const { old, replacedBy, calls } = await fixture();
    for (let k = 1; k <= calls.length; k++) {
      const dir = await fixtureDir(old);
      // from call k on, nothing more happens: no undo, no abort (a process that died runs neither)
      const { fs } = failingFs((c) => c.n >= k);
      // (past the commit the export succeeds, with the old files left under hidden names)
      await writeSet(dir, NEW, fs, { abort: false }).catch(() => {});
      const target = await splitTarget(join(dir, 'out.jsonl'), true, () => {});
      await target.abort();
      const after = snapshot(dir);
      expect([old, replacedBy], `died at call ${k}: ${calls[k - 1].op}`).toContainEqual(after);
    }
  });
});

describe('end to end', () => {
  it('an old part that no rename can replace (a directory of that name): the old set is moved aside whole, not lost', async () => {
    const dir = fresh();
    const db = join(dir, 'rows.db');
    execFileSync('sqlite3', [db, 'CREATE TABLE t (id INTEGER PRIMARY KEY); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000) INSERT INTO t SELECT i FROM s;']);
    const out = join(dir, 'out');
    mkdirSync(out);
    const run = (rows: string) => runCli(['export', `sqlite:${db}`, '--table', 't', '--lines', '--split-rows', rows, '-o', join(out, 't.jsonl')]);
    expect(await run('1000')).toMatchObject({ status: 0, stderr: '' });
    // the old set's second part is a directory now: renaming a new part over it fails (EISDIR)
    rmSync(join(out, 't-00002.jsonl'));
    mkdirSync(join(out, 't-00002.jsonl'));
    writeFileSync(join(out, 't-00002.jsonl', 'x'), 'x');
    const result = await run('1500');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^jsondump: warning: the earlier set's files could not be removed from their hidden names: .*\.t-00002\.jsonl\.\d+\.[0-9a-f]{12}\.old\n$/);
    const manifest = JSON.parse(readFileSync(join(out, 't.manifest.json'), 'utf8')) as { files: { name: string }[]; rows: number };
    expect(manifest.files.map((f) => f.name)).toEqual(['t-00001.jsonl', 't-00002.jsonl']);
    const rows = manifest.files.flatMap((f) => readFileSync(join(out, f.name), 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: number }).id));
    expect(rows).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(readdirSync(out).filter((n) => !n.startsWith('.')).sort()).toEqual(['t-00001.jsonl', 't-00002.jsonl', 't.manifest.json']);
  });
});
