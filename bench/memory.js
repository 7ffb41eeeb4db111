// Peak RSS of jsondump writing the lazy records (nothing holds them all) to a file, at
// growing row counts: it must be flat, and under 100 MiB at 3M rows (issue 4).
//
//   node bench/memory.js [--rows 1e6,3e6,1e7]
//
// Each point is a fresh child (bench/child.js) with one run and no output check (the
// parity of the same code path is checked by run.js on the lazy datasets).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { RECORDS_ROWS } from './datasets.js';
import { runChild } from './spawn.js';

export const MEMORY_CASES = [
  { label: 'dump, sync generator', dataset: 'lazy-sync', contender: 'jd-dump' },
  { label: 'dump, async generator', dataset: 'lazy-async', contender: 'jd-dump' },
  { label: 'dumpSync, sync generator', dataset: 'lazy-sync', contender: 'jd-dumpSync' },
];

export const DEFAULT_ROWS = [1e6, 3e6, 1e7];

/** Runs every case at every row count; returns [{ label, rows, peakRssMB, ms, bytes, error }]. */
export async function runMemory({ rows = DEFAULT_ROWS, tmpdir, seed = 1, log = () => {} }) {
  const out = [];
  for (const c of MEMORY_CASES) {
    for (const n of rows) {
      const spec = {
        dataset: c.dataset, contender: c.contender, mode: 'compact', target: 'file',
        scale: n / RECORDS_ROWS, seed, reps: 1, tmpdir, noVerify: true,
      };
      const r = await runChild(spec, 30 * 60e3);
      const run = r.runs?.[0];
      const m = { label: c.label, rows: n, peakRssMB: r.peakRssMB, baseRssMB: r.baseRssMB, ms: run?.ms, bytes: run?.bytes, error: r.error };
      log(`memory: ${c.label}, ${n} rows: ${r.error ? 'ERROR ' + r.error : `peak RSS ${m.peakRssMB.toFixed(0)} MiB, ${(m.bytes / 1e6).toFixed(0)} MB in ${(m.ms / 1000).toFixed(1)} s`}`);
      out.push(m);
    }
  }
  return out;
}

export function memoryTable(results) {
  const rowCounts = [...new Set(results.map((m) => m.rows))];
  const labels = [...new Set(results.map((m) => m.label))];
  const fmt = (n) => (n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M` : `${+(n / 1e3).toFixed(1)}k`);
  const lines = [
    '### lazy records to a file: peak RSS (MiB) by row count',
    '',
    `| API | ${rowCounts.map((n) => `${fmt(n)} rows`).join(' | ')} | MB/s at ${fmt(rowCounts.at(-1))} |`,
    `|---|${rowCounts.map(() => '---:').join('|')}|---:|`,
  ];
  for (const label of labels) {
    const cells = rowCounts.map((n) => {
      const m = results.find((x) => x.label === label && x.rows === n);
      return m?.peakRssMB == null ? 'error' : m.peakRssMB.toFixed(0);
    });
    const last = results.find((x) => x.label === label && x.rows === rowCounts.at(-1));
    const mbps = last?.bytes ? (last.bytes / 1e3 / last.ms).toFixed(1) : '—';
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
      rows: values.rows ? parseRows(values.rows) : DEFAULT_ROWS,
      seed: Number(values.seed), tmpdir, log: (s) => console.error(s),
    });
    console.log(memoryTable(results));
  } finally {
    fs.rmSync(tmpdir, { recursive: true, force: true });
  }
}
