// The progress line: only on a terminal, never wider than it, an ETA only once it means something.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fitLine, progressParts } from '../../src/cli/progress.js';
import { makeBigTable } from './helpers/big-table.js';
import { CLI, ROOT, tempDir } from './helpers/cli.js';

describe('the parts of the line', () => {
  it('rows, bytes, percentage, rate, elapsed; no ETA in the first seconds or the first percent', () => {
    expect(progressParts(1234567, 2_500_000, 1500, 0.5).map(([text]) => text)).toEqual(['1,234,567 rows', '2.5 MB', '50.0%', '823,045 rows/s', '00:02']);
    expect(progressParts(10, 100, 60_000, 0.01).map(([text]) => text)).toEqual(['10 rows', '100 B', '1.0%', '0 rows/s', '01:00']);
    expect(progressParts(500, 5000, 4000, 0.25).map(([text]) => text)).toEqual(['500 rows', '5.0 kB', '25.0%', 'ETA 00:12', '125 rows/s', '00:04']);
    expect(progressParts(500, 5000, 4000, null).map(([text]) => text)).toEqual(['500 rows', '5.0 kB', '125 rows/s', '00:04']);
    expect(progressParts(500, 5000, 4_000_000, 1).map(([text]) => text)).toEqual(['500 rows', '5.0 kB', '100.0%', '0 rows/s', '01:06:40']);
  });

  it('dropped lowest first until the line fits, then cut', () => {
    const parts = progressParts(1234567, 2_500_000, 4000, 0.5);
    expect(fitLine(parts, 200)).toBe('1,234,567 rows  2.5 MB  50.0%  ETA 00:04  308,642 rows/s  00:04');
    expect(fitLine(parts, 46)).toBe('1,234,567 rows  2.5 MB  50.0%  ETA 00:04');
    expect(fitLine(parts, 30)).toBe('1,234,567 rows  2.5 MB  50.0%');
    expect(fitLine(parts, 22)).toBe('1,234,567 rows  50.0%');
    expect(fitLine(parts, 10)).toBe('1,234,567 ');
    for (let width = 0; width < 80; width++) expect(fitLine(parts, width).length).toBeLessThanOrEqual(width);
  });
});

describe('on a terminal', () => {
  let dir = '';
  let db = '';
  beforeAll(() => {
    dir = tempDir('progress');
    db = join(dir, 'big.db');
    makeBigTable(db, 300_000, 200);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** stderr (and stdout) of the CLI run by `script`, which gives it a terminal `columns` wide. */
  const inTerminal = (args: string, columns = 100) =>
    spawnSync('script', ['-qec', `stty cols ${columns}; node ${CLI} ${args}`, '/dev/null'], { encoding: 'utf8', cwd: ROOT }).stdout;

  /** What each redraw of the line shows (`\r` starts one, `\x1b[K` ends it). */
  const draws = (text: string) => [...text.matchAll(/\r([^\r\n]*?)\x1b\[K/g)].map((m) => m[1]);

  it('draws rows, bytes, percentage, rate and elapsed, then the summary', () => {
    const out = join(dir, 'progress.json');
    const text = inTerminal(`export sqlite:${db} --table big -o ${out}`);
    expect(draws(text).at(-1)).toMatch(/^300,000 rows {2}\d+\.\d MB {2}100\.0% {2}[\d,]+ rows\/s {2}\d\d:\d\d$/);
    expect(text).toMatch(new RegExp(`\\njsondump: wrote 300,000 rows, \\d+\\.\\d MB to ${out}\\r?\\n$`));
  });

  it('never wider than the terminal: no line wraps in 40 columns', () => {
    const text = inTerminal(`export sqlite:${db} --table big -o ${join(dir, 'narrow.json')}`, 40);
    const lines = draws(text);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.length).toBeLessThan(40);
    expect(lines.at(-1)).toMatch(/^300,000 rows {2}\d+\.\d MB {2}100\.0%$/);
  });

  it('not over the output when that goes to the same terminal', () => {
    const text = inTerminal(`export sqlite:${db} --query "SELECT id FROM big LIMIT 3"`);
    expect(text.replace(/\r/g, '')).toBe('[{"id":1},{"id":2},{"id":3}]\njsondump: wrote 3 rows, 29 B to stdout\n');
  });

  it('stays silent with --quiet', () => {
    expect(inTerminal(`export sqlite:${db} --table big -o ${join(dir, 'quiet.json')} --quiet`)).toBe('');
  });
});
