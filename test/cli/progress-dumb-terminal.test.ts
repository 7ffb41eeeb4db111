// A terminal that says it is dumb (TERM=dumb: Emacs' shell, some CI logs) gets no escape
// sequence: the progress line is redrawn with a carriage return, and a shorter line is padded
// with spaces over what the longer one left. Checked on ProgressLine and on the CLI in a
// terminal (script(1)).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ProgressLine } from '../../src/cli/progress.js';
import { makeBigTable } from './helpers/big-table.js';
import { CLI, ROOT, tempDir } from './helpers/cli.js';

/** A stand-in for stderr on a terminal `columns` wide, keeping what is written. */
function terminal(columns = 100): NodeJS.WriteStream & { text: string } {
  const out = { text: '', columns, write: (s: string) => ((out.text += s), true) };
  return out as unknown as NodeJS.WriteStream & { text: string };
}

describe('TERM=dumb', () => {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.TERM;
    process.env.TERM = 'dumb';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TERM;
    else process.env.TERM = saved;
  });

  it('ProgressLine: no escape sequence; a shorter line is padded over the longer one, and clear() blanks it', () => {
    const out = terminal();
    const line = new ProgressLine(out, () => null);
    line.finish(1_234_567, 9_000_000);
    const long = out.text.length;
    line.finish(1, 10);
    line.clear();
    expect(out.text).not.toMatch(/\x1b/);
    const draws = out.text.split('\r').filter((s) => s !== '' && s !== '\n');
    expect(draws[1].trimEnd().startsWith('1 row  10 B')).toBe(true);
    expect(draws[1].length).toBeGreaterThanOrEqual(long - 2);
    expect(out.text.endsWith('\r')).toBe(true);
  });

  describe('the CLI in a terminal', () => {
    let dir = '';
    let db = '';
    beforeAll(() => {
      dir = tempDir('progress-dumb');
      db = join(dir, 'big.db');
      makeBigTable(db, 100_000, 100);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('draws the progress line and the summary without escape sequences', () => {
      const out = join(dir, 'out.json');
      const r = spawnSync('script', ['-qec', `stty cols 100; node ${CLI} export sqlite:${db} --table big -o ${out}`, '/dev/null'], {
        encoding: 'utf8',
        cwd: ROOT,
        env: { ...process.env, TERM: 'dumb' },
      });
      expect(r.stdout).toMatch(/\r100,000 rows {2}[\d.]+ MB {2}100\.0%/);
      expect(r.stdout).toMatch(/jsondump: wrote 100,000 rows/);
      expect(r.stdout).not.toMatch(/\x1b/);
    });
  });
});
