// Timings of the sink side (not part of npm test; nothing here asserts on time):
//   node bench/sinks.js [measure] [fsync] [--rows N] [--reps N]
// Build first (npm run build). Each case is run --reps times, alternating with the others
// (A B C A B C …), and the median is printed with its ratio to the first case.
//
// measure: measure() and measureSync() against the dumps they stand for, into a Writable that
//   drops everything and into /dev/null, over the `records` rows from a generator.
// fsync:   dump of ~100 MB to a path (atomic) with the background fdatasync every 8 MiB, and
//   with it turned off (a fake fs whose fdatasync does nothing), to show what it saves at the
//   final fsync. On tmpfs both are the same; run it with TMPDIR on a real disk.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { recordsGen } from './datasets.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rows: { type: 'string', default: '200000' }, reps: { type: 'string', default: '5' } },
});
const ROWS = Number(values.rows);
const REPS = Number(values.reps);
const which = positionals.length ? positionals : ['measure', 'fsync'];

const lib = await import('../dist/index.js');
const { AsyncDriver } = await import('../dist/drive/drive-async.js');
const { pump } = await import('../dist/drive/pump.js');
const { resolveOptions } = await import('../dist/options.js');
const { FileSink } = await import('../dist/sink/file.js');
const { runAsync } = await import('../dist/sink/fs.js');
const { openFile } = await import('../dist/sink/path.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function compare(title, cases) {
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  let check = null;
  for (let r = 0; r < REPS; r++) {
    for (const [name, run] of Object.entries(cases)) {
      const t = process.hrtime.bigint();
      const bytes = await run();
      times[name].push(Number(process.hrtime.bigint() - t) / 1e6);
      if (check === null) check = bytes;
      else if (bytes !== check) throw new Error(`${name}: ${bytes} bytes, the first case had ${check}`);
    }
  }
  const base = median(Object.values(times)[0]);
  console.log(`\n### ${title} (${(check / 1e6).toFixed(1)} MB, median of ${REPS})\n`);
  console.log('| case | ms | relative |\n|---|---:|---:|');
  for (const [name, ts] of Object.entries(times)) console.log(`| ${name} | ${median(ts).toFixed(0)} | ${(median(ts) / base).toFixed(2)} |`);
}

const rows = () => recordsGen(ROWS, 1);
const drop = () => new Writable({ write: (_c, _e, cb) => cb() });

console.log(`Node ${process.version}, ${os.cpus().length} CPUs, ${ROWS} rows`);

if (which.includes('measure')) {
  await compare('measure against the dumps it stands for', {
    measure: async () => (await lib.measure(rows())).bytes,
    measureSync: async () => lib.measureSync(rows()).bytes,
    'dump to a dropping Writable': async () => (await lib.dump(rows(), drop())).bytes,
    'dump to /dev/null': async () => (await lib.dump(rows(), '/dev/null')).bytes,
    'dumpSync to /dev/null': async () => lib.dumpSync(rows(), '/dev/null').bytes,
  });
}

if (which.includes('fsync')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsondump-bench-fsync-'));
  const target = path.join(dir, 'out.json');
  const finalSync = { 'fdatasync every 8 MiB (the default)': [], 'no background fdatasync': [] };
  /** node:fs, timing the final fsync into `into`; without background fdatasync when `datasync` is false. */
  const timed = (into, datasync) => ({
    ...fs,
    fsync: (fd, cb) => {
      const t = process.hrtime.bigint();
      fs.fsync(fd, (err) => {
        into.push(Number(process.hrtime.bigint() - t) / 1e6);
        cb(err);
      });
    },
    ...(datasync ? {} : { fdatasync: (_fd, cb) => cb(null) }),
  });
  const big = () => recordsGen(Math.max(ROWS, 200000), 1); // ~100 MB
  const dumpWith = (fsys) => pump(new AsyncDriver(big(), resolveOptions({})), async () => new FileSink(await runAsync(openFile(target, true)), { fs: fsys }), null).then((s) => s.bytes);
  try {
    const [a, b] = Object.keys(finalSync);
    await compare('atomic dump to a path: background fdatasync, whole dump', {
      [a]: () => dumpWith(timed(finalSync[a], true)),
      [b]: () => dumpWith(timed(finalSync[b], false)),
    });
    console.log('\n| final fsync | ms (median) |\n|---|---:|');
    for (const [name, ts] of Object.entries(finalSync)) console.log(`| ${name} | ${median(ts).toFixed(0)} |`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
