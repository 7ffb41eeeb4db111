// The README's chart (docs/benchmark.svg, shipped with the package), drawn from the newest run recorded in bench/RESULTS.md: MB/s of every
// contender writing each dataset to a file (compact), and peak RSS of lazy dumps against the
// number of rows, with JSON.stringify's peak for the same rows beside it. Plain SVG, no
// dependencies.
//
//   node bench/chart.js [RESULTS.md] [-o docs/benchmark.svg]
//
// bench/run.js calls writeChart() after each full run that writes RESULTS.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The datasets of the speed panel, in their order, as `dataset/mode` headings. */
const DATASETS = [
  ['records/compact', 'records'],
  ['strings/compact', 'long strings'],
  ['deep/compact', 'deep nesting'],
  ['lazy-sync/compact', 'lazy rows (generator)'],
];

/** The contenders drawn, by the label the tables give them, with a short name and a colour. */
const CONTENDERS = [
  ['JSON.stringify + writeFileSync', 'JSON.stringify + writeFileSync', '#9e9e9e'],
  ['json-ext stringifyChunked', '@discoveryjs/json-ext', '#f4a259'],
  ['json-stream-stringify', 'json-stream-stringify', '#bc4b51'],
  ['bfj', 'bfj', '#8e7dbe'],
  ['jsondump dump', 'jsondump dump', '#1f6f8b'],
  ['jsondump dumpSync', 'jsondump dumpSync', '#3fa7d6'],
];

const MEMORY_COLOURS = ['#1f6f8b', '#3fa7d6', '#59cd90', '#f4a259'];

/** The newest `## ` section of RESULTS.md: its title and its tables by `### ` heading. */
export function parseResults(markdown) {
  // The newest dated run, up to the next section of any kind (the export jobs have their own).
  const section = markdown.split(/^## (?=\d)/m)[1]?.split(/^## /m)[0];
  if (section === undefined) throw new Error('no dated run in the results');
  const title = section.slice(0, section.indexOf('\n')).trim();
  const scale = Number(/\(scale ([\d.e-]+),/.exec(section)?.[1] ?? 1);
  const tables = new Map();
  for (const part of section.split(/^### /m).slice(1)) {
    const heading = part.slice(0, part.indexOf('\n')).trim();
    const rows = part.split('\n').filter((l) => l.startsWith('|')).map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
    if (rows.length < 2) continue;
    const [head, , ...body] = rows;
    tables.set(heading, body.map((cells) => Object.fromEntries(head.map((h, i) => [h, cells[i]]))));
  }
  return { title, scale, tables };
}

/** A table by the start of its heading (`records/compact (198.9 MB of output)`). */
const tableOf = (tables, start) => [...tables].find(([h]) => h.startsWith(`${start} `) || h === start)?.[1];

/** MB/s of a cell: the number, also for a capped run (`> cap (23.6 MB in 15.0 s) 1.6`). */
const mbps = (cell) => {
  const m = /(\d+(?:\.\d+)?)$/.exec(cell ?? '');
  return m ? Number(m[1]) : null;
};

/** { datasets: [{ label, bars: [{ name, colour, value }] }] } from the speed tables. */
export function speedData(tables) {
  const datasets = [];
  for (const [key, label] of DATASETS) {
    const table = tableOf(tables, key);
    if (!table) continue;
    const bars = [];
    for (const [row, name, colour] of CONTENDERS) {
      const found = table.find((r) => r.contender === row && r.target === 'file');
      const value = found && found.check?.startsWith('ok') ? mbps(found['MB/s']) : null;
      if (value !== null) bars.push({ name, colour, value });
    }
    datasets.push({ label, bars });
  }
  return datasets;
}

/** Peak RSS series of the memory table, and JSON.stringify's peak on the lazy rows. */
export function memoryData(tables, rowsOfLazy) {
  const table = [...tables].find(([h]) => h.startsWith('lazy records to a file'))?.[1];
  if (!table) return null;
  const counts = Object.keys(table[0]).filter((k) => k.endsWith(' rows')).map((k) => [k, parseCount(k)]);
  const series = table.map((r, i) => ({
    name: r.API,
    colour: MEMORY_COLOURS[i % MEMORY_COLOURS.length],
    points: counts.map(([k, n]) => [n, Number(r[k])]).filter(([, v]) => Number.isFinite(v)),
  }));
  const lazy = tableOf(tables, 'lazy-sync/compact')?.find((r) => r.contender === 'JSON.stringify + writeFileSync' && r.target === 'file');
  const native = lazy && Number.isFinite(Number(lazy['peak RSS MiB'])) ? { rows: rowsOfLazy, mib: Number(lazy['peak RSS MiB']) } : null;
  return { series, native };
}

function parseCount(label) {
  const m = /^([\d.]+)([kM]) rows$/.exec(label);
  return m ? Number(m[1]) * (m[2] === 'M' ? 1e6 : 1e3) : NaN;
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x, y, s, attrs = '') => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs}>${esc(s)}</text>`;

/** A horizontal bar chart: one block of bars per dataset. Returns [svg, height]. */
function speedPanel(datasets, x0, y0, width) {
  const labelW = 190;
  const barH = 13;
  const plotW = width - labelW - 50;
  const max = Math.max(...datasets.flatMap((d) => d.bars.map((b) => b.value)));
  const scale = plotW / (Math.ceil(max / 20) * 20);
  const out = [text(x0, y0, 'Writing to a file, compact: MB/s (higher is better)', ' class="h"')];
  let y = y0 + 16;
  for (const d of datasets) {
    out.push(text(x0, y + 10, d.label, ' class="d"'));
    y += 16;
    for (const b of d.bars) {
      const w = Math.max(1, b.value * scale);
      out.push(text(x0 + labelW - 6, y + barH - 3, b.name, ' text-anchor="end"'));
      out.push(`<rect x="${x0 + labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${b.colour}"/>`);
      out.push(text(x0 + labelW + w + 4, y + barH - 3, b.value.toFixed(1)));
      y += barH + 3;
    }
    y += 8;
  }
  return [out.join('\n'), y - y0];
}

/** Peak RSS against rows, log-scaled rows, with JSON.stringify's point. Returns [svg, height]. */
function memoryPanel(mem, x0, y0, width) {
  const h = 190;
  const left = x0 + 50;
  const right = x0 + width - 250;
  const top = y0 + 22;
  const bottom = top + h;
  const xs = mem.series.flatMap((s) => s.points.map(([n]) => n)).concat(mem.native ? [mem.native.rows] : []);
  const ys = mem.series.flatMap((s) => s.points.map(([, v]) => v)).concat(mem.native ? [mem.native.mib] : []);
  const [lo, hi] = [Math.log10(Math.min(...xs)) - 0.1, Math.log10(Math.max(...xs)) + 0.1];
  const ymax = Math.ceil((Math.max(...ys) * 1.08) / 100) * 100;
  const px = (n) => left + ((Math.log10(n) - lo) / (hi - lo)) * (right - left);
  const py = (v) => bottom - (v / ymax) * h;
  const out = [text(x0, y0, 'Peak RSS (MiB) against the number of rows written (lower is better)', ' class="h"')];
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#444"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#444"/>`);
  for (let v = 0; v <= ymax; v += ymax / 4) {
    out.push(`<line x1="${left}" y1="${py(v)}" x2="${right}" y2="${py(v)}" stroke="#ddd"/>`);
    out.push(text(left - 6, py(v) + 4, Math.round(v), ' text-anchor="end"'));
  }
  for (const n of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(text(px(n), bottom + 15, n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`, ' text-anchor="middle"'));
  }
  out.push(text((left + right) / 2, bottom + 30, 'rows (log scale)', ' text-anchor="middle"'));
  let ly = top + 4;
  for (const s of mem.series) {
    const pts = s.points.map(([n, v]) => `${px(n).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${s.colour}" stroke-width="2"/>`);
    for (const [n, v] of s.points) out.push(`<circle cx="${px(n).toFixed(1)}" cy="${py(v).toFixed(1)}" r="3" fill="${s.colour}"/>`);
    out.push(`<rect x="${right + 12}" y="${ly - 9}" width="10" height="10" fill="${s.colour}"/>`, text(right + 27, ly, `jsondump ${s.name}`));
    ly += 16;
  }
  if (mem.native) {
    const { rows, mib } = mem.native;
    out.push(`<circle cx="${px(rows).toFixed(1)}" cy="${py(mib).toFixed(1)}" r="4" fill="#9e9e9e"/>`);
    out.push(text(px(rows) + 8, py(mib) + 4, `JSON.stringify + writeFileSync: ${mib}`));
    out.push(`<rect x="${right + 12}" y="${ly - 9}" width="10" height="10" fill="#9e9e9e"/>`, text(right + 27, ly, 'JSON.stringify (one run)'));
  }
  return [out.join('\n'), h + 50];
}

/** The chart of one run as an SVG document. */
export function chartSVG({ title, tables }, { rowsOfLazy }) {
  const width = 760;
  const datasets = speedData(tables).filter((d) => d.bars.length > 0);
  const [speed, speedH] = datasets.length ? speedPanel(datasets, 16, 44, width - 32) : ['', 0];
  const mem = memoryData(tables, rowsOfLazy);
  const [memory, memoryH] = mem ? memoryPanel(mem, 16, 44 + speedH + 20, width - 32) : ['', 0];
  const height = 44 + speedH + 20 + memoryH + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    '<style>.h{font-size:13px;font-weight:bold}.d{font-weight:bold}.t{font-size:15px;font-weight:bold}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    text(16, 22, 'jsondump benchmark', ' class="t"'),
    text(width - 16, 22, `bench/run.js, ${title} (2 shared cores; medians)`, ' text-anchor="end" fill="#666"'),
    speed,
    memory,
    '</svg>',
    '',
  ].join('\n');
}

/** Reads `resultsFile`, writes the chart of its newest run to `outFile`. */
export async function writeChart(resultsFile = path.join(HERE, 'RESULTS.md'), outFile = path.join(HERE, '..', 'docs', 'benchmark.svg')) {
  const { recordCount } = await import('./datasets.js');
  const run = parseResults(fs.readFileSync(resultsFile, 'utf8'));
  const svg = chartSVG(run, { rowsOfLazy: recordCount(run.scale) });
  fs.writeFileSync(outFile, svg);
  return outFile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const o = args.indexOf('-o');
  const out = o >= 0 ? args.splice(o, 2)[1] : undefined;
  console.log(`wrote ${await writeChart(args[0], out)}`);
}
