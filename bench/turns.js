// A few contenders on one dataset, timed in turns within one process (A B C A B C …), for
// comparing changes on a busy machine, where only same-run ratios mean anything:
//
//   node --expose-gc bench/turns.js people/compact [--scale 0.25] [--reps 5]
//        [--contenders native,jd-dump-noatomic,jd-dumpSync] [--dist dist,/path/to/other/dist]
//
// Each contender runs once per turn into a file (bench/contenders.js, target `file`); with
// several --dist directories every jsondump contender runs once per build, so two versions of
// the library are compared side by side. The data comes from a JSON Lines copy cached in
// bench/.cache/turns/ (made on first use); a lazy dataset is a fresh generator per run. Prints, per contender, the median wall time and
// its ratio to the first contender, and the median CPU time of the main thread: on a loaded
// machine wall times stretch, while the main thread's CPU time shows what a quiet machine with
// a free second core (where writes and GC helpers run) would wait for. Not part of npm test;
// nothing asserts on time. Outputs are not checked here: bench/run.js checks them.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { build, loadJsonl, saveJsonl } from './datasets.js';
import { CONTENDERS, MODES } from './contenders.js';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scale: { type: 'string', default: '0.25' },
    seed: { type: 'string', default: '1' },
    reps: { type: 'string', default: '5' },
    contenders: { type: 'string', default: 'native,jd-dump-noatomic,jd-dumpSync' },
    dist: { type: 'string', default: 'dist' },
  },
});
const [dataset, mode = 'compact'] = (positionals[0] ?? 'records/compact').split('/');
if (!MODES[mode]) throw new Error(`unknown mode ${mode}`);
const scale = Number(opt.scale);
const seed = Number(opt.seed);
const gc = globalThis.gc ?? (() => { throw new Error('run with node --expose-gc'); });

/** CPU time of the main thread so far, in ms (Linux: its schedstat; elsewhere the process's). */
function mainCpuMs() {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e3;
  }
}

const lazy = dataset.startsWith('lazy');

function loadData() {
  if (lazy) return null; // a fresh generator per run
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '.cache', 'turns');
  const file = path.join(dir, `${dataset}-s${scale}-seed${seed}.jsonl`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    saveJsonl(build(dataset, scale, seed).value, file);
  }
  return loadJsonl(file);
}

// Each jsondump contender once per --dist build; others once.
const ids = opt.contenders.split(',');
const dists = opt.dist.split(',').map((d) => path.resolve(d));
const runs = [];
for (const id of ids) {
  const c = CONTENDERS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown contender ${id}`);
  if (!c.jsondump) {
    await c.load?.();
    runs.push({ label: id, c, lib: null });
    continue;
  }
  for (const d of dists) {
    const lib = await import(pathToFileURL(path.join(d, 'index.js')).href);
    runs.push({ label: dists.length > 1 ? `${id} (${path.relative(process.cwd(), d) || '.'})` : id, c, lib });
  }
}
// The jsondump contenders read the library from the `lib.jd` their module loads: swap it in.
const contendersModule = await import('./contenders.js');
await CONTENDERS.find((x) => x.jsondump).load();

const value = loadData();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jsondump-turns-'));
const times = runs.map(() => ({ wall: [], cpu: [] }));
try {
  for (let rep = 0; rep < Number(opt.reps); rep++) {
    for (let i = 0; i < runs.length; i++) {
      const r = runs[i];
      if (r.lib) contendersModule.useLibrary(r.lib);
      const file = path.join(tmp, `out-${i}.json`);
      const fresh = lazy ? build(dataset, scale, seed) : null;
      const ctx = { value: fresh?.value ?? value, materialize: fresh?.materialize, mode, target: 'file', path: file, dataset, devNullFd: -1 };
      gc();
      const cpu0 = mainCpuMs();
      const t0 = performance.now();
      await r.c.run(ctx);
      times[i].wall.push(performance.now() - t0);
      times[i].cpu.push(mainCpuMs() - cpu0);
      fs.rmSync(file, { force: true });
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const base = { wall: median(times[0].wall), cpu: median(times[0].cpu) };
console.log(`${dataset}/${mode}, scale ${scale}, ${opt.reps} turns; ratio = first contender's median ÷ this one's (> 1: faster)`);
console.log('| contender | wall s | ratio | main-thread CPU s | ratio |');
console.log('|---|---:|---:|---:|---:|');
runs.forEach((r, i) => {
  const wall = median(times[i].wall);
  const cpu = median(times[i].cpu);
  console.log(`| ${r.label} | ${(wall / 1e3).toFixed(2)} | ${(base.wall / wall).toFixed(2)} | ${(cpu / 1e3).toFixed(2)} | ${(base.cpu / cpu).toFixed(2)} |`);
});
