// Peak RSS of jsondump writing the lazy records (nothing holds them all) to a file, at
// growing row counts: it must be flat, and under 100 MiB at 3M rows.
//
//   node bench/memory.js [--rows 1e6,3e6,1e7]   (default: 1M, 3M, 10M for dump of the sync
//                                                generator; 1M, 3M for the other two)
//
// One fresh child (bench/child.js) per API runs the largest row count once, noting maxRSS (a
// high-water mark) as the generator hands out row 1M, 3M, …: the peak of the first n rows,
// without writing 1M + 3M + 10M rows. The last point is taken after the run has finished.
// No output check here: run.js checks the same code path on the lazy datasets.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { RECORDS_ROWS } from './datasets.js';
import { runChild } from './spawn.js';

// maxRows: the default run's largest row count per case (10M for one, 3M for the others keeps
// the whole benchmark near 20 minutes); --rows overrides it for every case.
export const MEMORY_CASES = [
  { label: 'dump, sync generator', dataset: 'lazy-sync', contender: 'jd-dump', maxRows: 1e7 },
  { label: 'dump, async generator', dataset: 'lazy-async', contender: 'jd-dump', maxRows: 3e6 },
  { label: 'dumpSync, sync generator', dataset: 'lazy-sync', contender: 'jd-dumpSync', maxRows: 3e6 },
];

export const DEFAULT_ROWS = [1e6, 3e6, 1e7];

/** Runs every case once; returns [{ label, rows, peakRssMB, baseRssMB, ms, bytes, error }]. */
export async function runMemory({ rows, tmpdir, seed = 1, log = () => {} }) {
  const out = [];
  for (const c of MEMORY_CASES) {
    const points = rows ?? DEFAULT_ROWS.filter((n) => n <= c.maxRows);
    const max = Math.max(...points);
    const spec = {
      dataset: c.dataset, contender: c.contender, mode: 'compact', targets: ['file'],
      scale: max / RECORDS_ROWS, seed, reps: 1, tmpdir, noVerify: true,
      checkpoints: points.filter((n) => n < max),
    };
    const r = await runChild(spec, 60 * 60e3, ['--expose-gc']); // Node's default heap limit
    const t = r.targets?.file;
    const run = t?.runs?.[0];
    const seen = [...(t?.checkpoints ?? []), { rows: max, peakRssMB: t?.peakRssMB }];
    for (const n of points) {
      const p = seen.find((x) => x.rows === n);
      out.push({ label: c.label, rows: n, peakRssMB: p?.peakRssMB, baseRssMB: r.baseRssMB, ms: run?.ms, bytes: run?.bytes, error: r.error });
    }
    log(`memory: ${c.label}: ${r.error ? 'ERROR ' + r.error
      : `${seen.map((p) => `${p.rows} rows ${p.peakRssMB?.toFixed(0)} MiB`).join(', ')}; ${(run.bytes / 1e6).toFixed(0)} MB in ${(run.ms / 1000).toFixed(1)} s`}`);
  }
  return out;
}

export function memoryTable(results) {
  const rowCounts = [...new Set(results.map((m) => m.rows))].sort((a, b) => a - b);
  const labels = [...new Set(results.map((m) => m.label))];
  const fmt = (n) => (n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M` : `${+(n / 1e3).toFixed(1)}k`);
  const lines = [
    '### lazy records to a file: peak RSS (MiB) by row count',
    '',
    'One run per API at its largest row count; smaller counts are maxRSS when the generator',
    'handed out that row. "—": not run.',
    '',
    `| API | ${rowCounts.map((n) => `${fmt(n)} rows`).join(' | ')} | MB/s of the run |`,
    `|---|${rowCounts.map(() => '---:').join('|')}|---:|`,
  ];
  for (const label of labels) {
    const mine = results.filter((x) => x.label === label);
    const cells = rowCounts.map((n) => {
      const m = mine.find((x) => x.rows === n);
      if (!m) return '—';
      return m.peakRssMB == null ? 'error' : m.peakRssMB.toFixed(0);
    });
    const run = mine.find((x) => x.bytes);
    const mbps = run ? `${(run.bytes / 1e3 / run.ms).toFixed(1)} (${fmt(Math.max(...mine.map((x) => x.rows)))} rows)` : '—';
    lines.push(`| ${label} | ${cells.join(' | ')} | ${mbps} |`);
  }
  return lines.join('\n');
}

export const parseRows = (s) => s.split(',').map(Number).filter((n) => n > 0);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, seed: { type: 'string', default: '1' } } });
  const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsondump-bench-'));
  try {
    const results = await runMemory({
      rows: values.rows ? parseRows(values.rows) : undefined,
      seed: Number(values.seed), tmpdir, log: (s) => console.error(s),
    });
    console.log(memoryTable(results));
  } finally {
    fs.rmSync(tmpdir, { recursive: true, force: true });
  }
}
