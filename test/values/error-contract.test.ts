// Every error the library raises is a JSONDumpError (API.md, Promise 5), and an error of the
// destination names the destination the caller gave.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { dump, dumpLines, dumps, dumpSync, JSONDumpError } from '../../src/index.js';

describe('an indent too large to build', () => {
  // Found by probing the options with out-of-range values: 2**29 spaces exceed the engine's
  // longest string, and the RangeError of ' '.repeat() comes through.
  const huge = { indent: 2 ** 29 };
  it('dumps raises a JSONDumpError, not a RangeError', () => {
    let err: unknown;
    try {
      dumps([1], huge);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JSONDumpError);
    expect(err).toMatchObject({ code: 'ERR_BAD_OPTION', path: '$' });
  });
  it('dump rejects with a JSONDumpError, not a RangeError', async () => {
    const w = new Writable({ write: (_c, _e, cb) => cb() });
    await expect(dump([1], w, huge)).rejects.toBeInstanceOf(JSONDumpError);
  });
  it('an indent that fits once but not twice: ERR_LIMIT where the second level opens', () => {
    let err: unknown;
    try {
      dumps([[1]], { indent: 2 ** 28 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JSONDumpError);
    expect(err).toMatchObject({ code: 'ERR_LIMIT', message: expect.stringContaining('indentation at depth 2') as unknown });
  });
});

describe('a path in a directory that does not exist', () => {
  // Found writing the exact errors of errors.test.ts: the ENOENT names the hidden temporary file
  // (".out.json.<pid>.<random>.tmp"), a name the caller never gave.
  const dir = path.join(os.tmpdir(), `jsondump-missing-${process.pid}`, 'sub');
  const target = path.join(dir, 'out.json');
  const calls: [string, () => Promise<unknown>][] = [
    ['dump', () => dump([1], target)],
    ['dumpLines', () => dumpLines([1], target)],
    ['dumpSync', async () => dumpSync([1], target)],
  ];
  for (const [name, call] of calls) {
    it(`${name}: the ENOENT error names the target`, async () => {
      expect(fs.existsSync(dir)).toBe(false);
      const err = (await call().catch((e: unknown) => e)) as NodeJS.ErrnoException;
      expect(err.code).toBe('ENOENT');
      expect(err.path).toBe(target);
      expect(err.message).toContain(target);
    });
  }
});
