// The README's chart is drawn from the newest run in bench/RESULTS.md (bench/chart.js) and the
// committed docs/benchmark.svg is that drawing: the figures a reader sees are the recorded ones.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error bench/ is plain JavaScript without declarations
import { chartSVG, parseResults, speedData, memoryData } from '../../bench/chart.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const results = fs.readFileSync(path.join(root, 'bench', 'RESULTS.md'), 'utf8');

interface Bar { name: string; value: number }
interface Run { title: string; scale: number; tables: Map<string, Record<string, string>[]> }

describe('bench/chart.js', () => {
  const run = parseResults(results) as Run;

  it('reads the newest run of RESULTS.md', () => {
    expect(results.indexOf(`## ${run.title}`)).toBe(results.search(/^## \d/m));
  });

  it('draws every contender of the records table that passed its check, with its MB/s', () => {
    const records = [...run.tables].find(([h]) => h.startsWith('records/compact '))![1];
    const bars = (speedData(run.tables) as { label: string; bars: Bar[] }[]).find((d) => d.label === 'records')!.bars;
    const native = records.find((r) => r.contender === 'JSON.stringify + writeFileSync' && r.target === 'file')!;
    const dump = records.find((r) => r.contender === 'jsondump dump' && r.target === 'file')!;
    expect(bars.find((b) => b.name === 'JSON.stringify + writeFileSync')!.value).toBe(Number(native['MB/s']));
    expect(bars.find((b) => b.name === 'jsondump dump')!.value).toBe(Number(dump['MB/s']));
  });

  it('draws peak RSS by row count from the memory table', () => {
    const mem = memoryData(run.tables, 400000) as { series: { name: string; points: [number, number][] }[] };
    expect(mem.series.length).toBeGreaterThan(0);
    for (const s of mem.series) expect(s.points.every(([n, v]) => n >= 1e5 && v > 0)).toBe(true);
  });

  it('a run ends at the next section, whatever its title (the export jobs are not its tables)', () => {
    const md = [
      '## 2026-01-02 03:04 UTC',
      '',
      '### lazy records to a file: peak RSS (MiB) by row count',
      '',
      '| API | 1M rows |',
      '|---|---:|',
      '| dump, sync generator | 90 |',
      '',
      '## Export jobs, 2026-01-01 00:00 UTC',
      '',
      '| job | contender |',
      '|---|---|',
      '| SQLite table → JSON | sqlite3 -json |',
      '',
    ].join('\n');
    const mem = memoryData((parseResults(md) as Run).tables, 1) as { series: { name: string }[] };
    expect(mem.series.map((x) => x.name)).toEqual(['dump, sync generator']);
  });

  it('docs/benchmark.svg is the chart of the newest run (node bench/chart.js redraws it)', async () => {
    const { recordCount } = (await import('../../bench/datasets.js' as string)) as { recordCount: (s: number) => number };
    const svg = chartSVG(run, { rowsOfLazy: recordCount(run.scale) }) as string;
    expect(fs.readFileSync(path.join(root, 'docs', 'benchmark.svg'), 'utf8')).toBe(svg);
  });
});
