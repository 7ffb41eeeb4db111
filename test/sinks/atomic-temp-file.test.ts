// The temporary file of an atomic write: it must never expose the data to more users than the
// target does (same mode and owner from the start), and its name must fit wherever the
// target's does. The directory fsync after the rename is in fault-injection.test.ts.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createFileWriteStream, dump, dumpSync } from '../../src/index.js';
import { runAsync } from '../../src/sink/fs.js';
import { openFile, tempPath } from '../../src/sink/path-target.js';
import { fakeFs } from '../helpers/fake-fs.js';
import { useTempDir } from '../helpers/io.js';

const tmp = useTempDir('tempfile');

/** What the temporary files in `dir` look like now (every file but `target`). */
function temps(dir: string, target: string): { name: string; mode: number; uid: number; gid: number }[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n !== target)
    .map((name) => {
      const st = fs.statSync(path.join(dir, name));
      return { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
    });
}

/** Rows from a generator that, half way, records the temporary files next to `target`. */
function* rowsWatching(dir: string, target: string, seen: ReturnType<typeof temps>[]): Generator<unknown> {
  for (let i = 0; i < 2000; i++) {
    if (i === 1000) seen.push(temps(dir, target));
    yield { i, secret: `s${i}` };
  }
}

describe('mode and owner of the temporary file', () => {
  const WAYS = [
    ['dump', (v: unknown, p: string) => dump(v, p, { chunkSize: 256 })],
    ['dumpSync', async (v: unknown, p: string) => dumpSync(v, p, { chunkSize: 256 })],
  ] as const;

  for (const [name, write] of WAYS) {
    it(`${name}: a 0600 file of another user is written through a 0600 temporary file of that user`, async () => {
      const dir = tmp.dir();
      const p = path.join(dir, 'secret.json');
      fs.writeFileSync(p, 'OLD');
      fs.chmodSync(p, 0o600);
      fs.chownSync(p, 1234, 5678); // the tests run as root, as CI does
      const seen: ReturnType<typeof temps>[] = [];
      await write(rowsWatching(dir, 'secret.json', seen), p);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toHaveLength(1);
      expect(seen[0][0]).toMatchObject({ mode: 0o600, uid: 1234, gid: 5678 });
      const st = fs.statSync(p);
      expect({ mode: st.mode & 0o7777, uid: st.uid, gid: st.gid }).toEqual({ mode: 0o600, uid: 1234, gid: 5678 });
      expect(JSON.parse(fs.readFileSync(p, 'utf8'))).toHaveLength(2000);
      expect(fs.readdirSync(dir)).toEqual(['secret.json']);
    });
  }

  it('a mode wider than the umask allows (0666) is kept exactly', async () => {
    const dir = tmp.dir();
    const p = path.join(dir, 'shared.json');
    fs.writeFileSync(p, 'OLD');
    fs.chmodSync(p, 0o666);
    await dump([1], p);
    expect(fs.statSync(p).mode & 0o7777).toBe(0o666);
  });

  it('the temporary file is opened with the target’s mode, not widened then narrowed', async () => {
    const dir = tmp.dir();
    const p = path.join(dir, 'secret.json');
    fs.writeFileSync(p, 'OLD', { mode: 0o600 });
    fs.chmodSync(p, 0o600);
    const fake = fakeFs();
    const file = await runAsync(openFile(p, true), fake.fs);
    fs.closeSync(file.fd);
    fs.unlinkSync(file.temp!);
    const open = fake.of('open');
    expect(open).toHaveLength(1);
    expect(open[0].args).toEqual([file.temp, 'wx', 0o600]);
    // owner, then the exact mode (chown clears set-id bits), before anything is written
    expect(fake.calls.map((c) => c.op)).toEqual(['stat', 'lstat', 'open', 'fchown', 'fchmod']);
  });
});

describe('the temporary name fits wherever the target name does', () => {
  const NAMES = [
    ['240 ASCII characters', 'n'.repeat(235) + '.json'],
    ['255 bytes (NAME_MAX)', 'm'.repeat(250) + '.json'],
    ['250 bytes of two-byte characters', 'é'.repeat(122) + '.json'],
    ['253 bytes ending in four-byte characters', 'x'.repeat(5) + '😀'.repeat(61) + '.json'],
  ] as const;

  for (const [what, name] of NAMES) {
    it(`${what}: dump, dumpSync and createFileWriteStream succeed, nothing is left beside`, async () => {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      const dir = tmp.dir();
      const p = path.join(dir, name);
      await dump({ a: 1 }, p);
      expect(fs.readFileSync(p, 'utf8')).toBe('{"a":1}');
      dumpSync({ b: 2 }, p);
      expect(fs.readFileSync(p, 'utf8')).toBe('{"b":2}');
      await new Promise((resolve, reject) => createFileWriteStream(p).on('error', reject).on('finish', resolve).end('[3]'));
      expect(fs.readFileSync(p, 'utf8')).toBe('[3]');
      expect(fs.readdirSync(dir)).toEqual([name]);
    });
  }

  it('a shortened name is cut between characters, and still tells which target it is for', () => {
    const target = path.join('/d', 'é'.repeat(122) + '😀.json');
    const temp = path.basename(tempPath(target));
    expect(Buffer.byteLength(temp)).toBeLessThanOrEqual(255);
    expect(temp).not.toContain('\ufffd');
    expect(temp.startsWith('.éé')).toBe(true);
    expect(temp).toMatch(/\.tmp$/);
    expect(path.dirname(tempPath(target))).toBe('/d');
  });
});
