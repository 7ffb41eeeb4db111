// The macro benchmark (`npm run bench`): jsondump against JSON.stringify and the streaming
// peers, with the speed targets it is held to. See bench/README.md.
//
//   node bench/run.js [--scale 1] [--only records/compact,lazy] [--reps 3] [--slow-reps 1]
//                     [--cap 15] [--no-slow] [--contenders a,b] [--skip a,b]
//                     [--targets file,sink] [--all] [--no-memory] [--memory-rows 1e6,3e6,1e7]
//                     [--no-write] [--seed 1] [--dry-run]
//
// For every dataset × mode × target × contender a fresh child (bench/child.js) generates the
// seeded data, serializes it, and reports times, bytes, peak RSS and event-loop stalls. Every
// output is checked against a reference (bench/.cache/) before its ratio means anything.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DATASETS, referenceDataset } from './datasets.js';
import { CONTENDERS, MODES, applies } from './contenders.js';
import { check, hashFile, pythonReference } from './verify.js';
import { runChild } from './spawn.js';
import { table, summary } from './report.js';
import { runMemory, memoryTable, parseRows } from './memory.js';
import { writeChart } from './chart.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CACHE = path.join(HERE, '.cache', 'ref');
const PEERS = new Set(['jsonext', 'jss', 'bfj', 'streamjson']);

const { values: opt } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    reps: { type: 'string', default: '3' },
    'slow-reps': { type: 'string', default: '1' },
    cap: { type: 'string', default: '15' },
    'no-slow': { type: 'boolean', default: false },
    contenders: { type: 'string' },
    skip: { type: 'string' },
    targets: { type: 'string' },
    all: { type: 'boolean', default: false },
    'no-memory': { type: 'boolean', default: false },
    'memory-rows': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  },
});

const scale = Number(opt.scale);
const seed = Number(opt.seed);
const list = (s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : null);
const only = list(opt.only);
const onlyContenders = list(opt.contenders);
const skip = new Set(list(opt.skip) ?? []);
const onlyTargets = list(opt.targets);
const log = (s) => process.stderr.write(s + '\n');

/**
 * Datasets made unlike the ones jsondump was tuned on (bench/datasets.js: people, texts,
 * forest): by default only in the layouts their targets are set for, compact and indent 2.
 */
const UNTUNED = new Set(['people', 'texts', 'forest']);
const UNTUNED_MODES = ['compact', 'indent'];

/** --only entries: "dataset", "dataset/mode" or "/mode"; "lazy" matches lazy-sync and lazy-async. */
function selected(dataset, mode) {
  if (!only) return true;
  return only.some((o) => {
    const [d, m] = o.split('/');
    return (!d || dataset === d || dataset.startsWith(d + '-')) && (!m || m === mode);
  });
}

// ------------------------------------------------------------------ the plan
// The default plan keeps a full run (scale 1) under ~20 minutes on 2 quiet cores: every
// contender on records (compact: file and null sink), elsewhere what the targets and the
// stall check need. --all runs every combination that applies.
function inDefaultPlan(c, dataset, mode, target) {
  const main = dataset === 'records';
  const lazy = dataset.startsWith('lazy');
  const untuned = UNTUNED.has(dataset);
  // deep indented is ~11× its compact size: beyond V8's longest string at scale ≥ 0.45
  if (dataset === 'deep' && mode === 'indent' && !only?.includes('deep/indent')) return false;
  if (PEERS.has(c.id)) {
    if (lazy) return false; // only json-stream-stringify takes rows lazily (a Readable)
    if (main) return mode === 'compact' || (mode === 'indent' && c.id === 'jsonext');
    return mode === 'compact' && target === 'file' && c.id === 'jsonext';
  }
  // the untuned datasets are compared as an outside benchmark compared them: dump(v, path,
  // { atomic: false }) and dumpSync, into a file, compact and indent 2
  if (c.id === 'jd-dump-noatomic' && !((main && mode === 'compact') || untuned)) return false;
  if (c.id === 'ceiling' && !(main || (dataset === 'lazy-sync' && target === 'file'))) return false;
  if (c.id === 'native-equiv' && !main) return false;
  // createStringifyStream is dump's engine behind a Readable: compact (file and sink) and indent
  if (c.id === 'jd-stream' && (untuned || !(mode === 'compact' || (main && mode === 'indent')))) return false;
  if (c.id === 'jd-stream' && lazy && target === 'sink') return false;
  if (c.id === 'jd-dumpSync' && !main && !untuned && mode !== 'compact') return false;
  if (c.id === 'jd-dumpSync' && lazy && target === 'sink') return false;
  return true;
}

function plan() {
  const groups = [];
  for (const dataset of DATASETS) {
    const lazy = dataset.startsWith('lazy');
    for (const mode of Object.keys(MODES)) {
      if (!selected(dataset, mode)) continue;
      if (lazy && mode !== 'compact' && !opt.all && !only) continue;
      const modeNamed = only?.some((o) => o.split('/')[1] === mode);
      if (UNTUNED.has(dataset) && !UNTUNED_MODES.includes(mode) && !opt.all && !modeNamed) continue;
      const rows = [];
      const targets = opt.all || mode === 'compact' ? ['file', 'sink'] : ['file'];
      for (const target of targets) {
        if (onlyTargets && !onlyTargets.includes(target)) continue;
        for (const c of CONTENDERS) {
          if (!applies(c, dataset, mode, target)) continue;
          if (skip.has(c.id) || (c.slow && opt['no-slow'])) continue;
          if (onlyContenders && !onlyContenders.includes(c.id) && !c.baseline) continue;
          // contenders named with --contenders run wherever they apply, like --all
          const named = onlyContenders?.includes(c.id) && !(dataset === 'deep' && mode === 'indent');
          if (!opt.all && !named && !inDefaultPlan(c, dataset, mode, target)) continue;
          // the python / ensureAscii / sortKeys tables compare with native js compact: the
          // compact table's run of it is reused when this run has one
          const outputMode = c.id === 'native' ? 'compact' : mode;
          rows.push({
            contender: c.id, label: c.label, target, outputMode,
            isBaseline: !!c.baseline, async: !!c.async, slow: !!c.slow,
          });
        }
      }
      if (rows.some((r) => !r.isBaseline && !(r.contender === 'native' && mode !== 'compact'))) groups.push({ dataset, mode, rows });
    }
  }
  return groups;
}

// ------------------------------------------------------------------ references
const codeVersion = crypto.createHash('sha256')
  .update(fs.readFileSync(path.join(HERE, 'datasets.js')))
  .update(fs.readFileSync(path.join(HERE, 'verify.js')))
  .digest('hex').slice(0, 10);

const cacheBase = (ds, what) => path.join(CACHE, `${ds}-${what}-s${scale}-seed${seed}-${codeVersion}`);
const dataFileOf = (ds) => cacheBase(ds, 'data') + '.jsonl';

/** { sha256, size, file? } of the reference output, built once and cached in bench/.cache/. */
async function reference(dataset, mode) {
  const ds = referenceDataset(dataset);
  fs.mkdirSync(CACHE, { recursive: true });
  const base = cacheBase(ds, mode);
  const keepFile = mode === 'compact' || mode === 'indent'; // prefix checks, python's input
  if (fs.existsSync(base + '.json')) {
    const ref = JSON.parse(fs.readFileSync(base + '.json', 'utf8'));
    if ((!keepFile || fs.existsSync(ref.file)) && (mode !== 'compact' || fs.existsSync(dataFileOf(ds)))) return ref;
  }
  const out = base + '.out';
  let t = performance.now();
  if (mode === 'python') {
    const compact = await reference(ds, 'compact');
    pythonReference(compact.file, out);
  } else {
    const dataFile = mode === 'compact' ? dataFileOf(ds) : undefined;
    const r = await runChild({ oracle: true, dataset: ds, mode, scale, seed, out, dataFile }, 30 * 60e3);
    if (r.error) throw new Error(`reference ${ds}/${mode}: ${r.error}`);
  }
  const ref = { ...hashFile(out), file: keepFile ? out : undefined };
  if (!keepFile) fs.rmSync(out, { force: true });
  fs.writeFileSync(base + '.json', JSON.stringify(ref));
  log(`reference ${ds}/${mode}: ${(ref.size / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return ref;
}

// ------------------------------------------------------------------ run
const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsondump-bench-'));
const cleanup = () => fs.rmSync(tmpdir, { recursive: true, force: true });
process.on('SIGINT', () => { cleanup(); process.exit(130); });

const startedAt = new Date();
const t0 = performance.now();
const groups = plan();
const total = groups.reduce((n, g) => n + g.rows.length, 0);
log(`${total} rows in ${groups.length} tables, scale ${scale}; temporary files in ${tmpdir}`);
if (opt['dry-run']) {
  for (const g of groups) log(`${g.dataset}/${g.mode}: ${g.rows.map((r) => `${r.contender}→${r.target}`).join(' ')}`);
  cleanup();
  process.exit(0);
}
const done = new Map(); // "dataset/contender/outputMode/target" → row, for reuse across tables
const tables = [];
const results = new Map(); // "dataset/mode" → { rows, refSize }
let count = 0;

try {
  for (const g of groups) {
    const key = `${g.dataset}/${g.mode}`;
    let refs;
    try {
      refs = { compact: await reference(g.dataset, 'compact') }; // also saves the data
      for (const row of g.rows) refs[row.outputMode] ??= await reference(g.dataset, row.outputMode);
    } catch (err) {
      // e.g. deep/indent at scale 1: JSON.stringify cannot build a string that long
      log(`${key}: skipped, ${err.message.split('\n')[0]}`);
      tables.push(`### ${key}\n\nskipped: no reference output (${err.message.split('\n')[0].slice(0, 200)})`);
      console.log('\n' + tables.at(-1));
      count += g.rows.length;
      continue;
    }
    // one child per contender for all its targets (file first: its peak RSS is the child's
    // own); slow contenders, whose capped run goes on in the background, one per target
    const jobs = new Map();
    for (const row of g.rows) {
      const reuseKey = `${g.dataset}/${row.contender}/${row.outputMode}/${row.target}`;
      const prior = done.get(reuseKey);
      if (prior) {
        count++;
        Object.assign(row, { result: prior.result, check: prior.check, reused: true });
        continue;
      }
      done.set(reuseKey, row);
      const jobKey = row.slow ? `${row.contender}/${row.target}` : row.contender;
      if (!jobs.has(jobKey)) jobs.set(jobKey, []);
      jobs.get(jobKey).push(row);
    }
    for (const rows of jobs.values()) {
      const first = rows[0];
      const spec = {
        dataset: g.dataset, mode: first.outputMode, contender: first.contender,
        targets: rows.map((r) => r.target), scale, seed, tmpdir,
        reps: Number(first.slow ? opt['slow-reps'] : opt.reps),
        capMs: first.slow ? Number(opt.cap) * 1000 : 0,
        dataFile: g.dataset.startsWith('lazy') ? undefined : dataFileOf(g.dataset),
      };
      const t = performance.now();
      const res = await runChild(spec, (first.slow ? Number(opt.cap) + 600 : 3600) * 1000);
      for (const row of rows) {
        count++;
        const r = res.targets?.[row.target];
        row.result = r ? { ...r, baseRssMB: res.baseRssMB } : { error: res.error ?? 'no result' };
        row.check = row.result.error ? 'ERROR' : check(row.result, refs[row.outputMode]);
        const run = row.result.runs?.[0];
        log(`[${count}/${total}] ${key} ${row.label} → ${row.target}: ${row.result.error ? 'ERROR ' + row.result.error.split('\n')[0]
          : `${row.result.noOutput ? `${(run.ms / 1000).toFixed(2)} s` : `${(run.bytes / 1e3 / run.ms).toFixed(1)} MB/s`}, ${row.check}`}`);
      }
      log(`  (child: ${((performance.now() - t) / 1000).toFixed(1)} s)`);
    }
    const refSize = refs[g.mode]?.size ?? refs.compact?.size;
    results.set(key, { rows: g.rows, refSize });
    const base = g.mode === 'indent' ? 'JSON.stringify(v, null, 2) + writeFileSync'
      : g.dataset.startsWith('lazy') ? 'JSON.stringify + writeFileSync of the rows materialized (inside the timing)'
        : 'JSON.stringify + writeFileSync (js, compact)';
    const text = table(`${key} (${(refSize / 1e6).toFixed(1)} MB of output)`, g.rows, refSize, base);
    tables.push(text);
    console.log('\n' + text);
  }

  let memory = null;
  const wantMemory = !opt['no-memory'] && (!only || only.includes('memory'));
  if (wantMemory) {
    const rows = opt['memory-rows'] ? parseRows(opt['memory-rows']) : undefined;
    memory = await runMemory({ rows, tmpdir, seed, log });
    const text = memoryTable(memory);
    tables.push(text);
    console.log('\n' + text);
  }

  const sum = summary(results, memory);
  console.log('\n' + sum);
  const minutes = ((performance.now() - t0) / 60e3).toFixed(1);
  console.log(`\n(${minutes} min)`);

  if (!opt['no-write']) {
    const cpus = os.cpus();
    const command = ['node', 'bench/run.js', ...process.argv.slice(2)].join(' ');
    const section = [
      `## ${startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
      '',
      `- command: \`${command}\` (scale ${scale}, seed ${seed}, ${minutes} min)`,
      `- Node ${process.version}, V8 ${process.versions.v8}; ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}; ${os.platform()} ${os.release()}`,
      `- MB = 10^6 bytes of output; RSS in MiB; medians of ${opt.reps} runs (${opt['slow-reps']} for bfj / stream-json, capped at ${opt.cap} s)`,
      '',
      sum,
      '',
      ...tables.flatMap((t) => [t, '']),
    ].join('\n');
    const file = path.join(HERE, 'RESULTS.md');
    const header = '# Benchmark results\n\nNewest first. Produced by `npm run bench` (bench/run.js); see bench/README.md.\n\n';
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').replace(header, '') : '';
    fs.writeFileSync(file, header + section + '\n' + old);
    log(`wrote ${path.relative(process.cwd(), file)}`);
    log(`wrote ${path.relative(process.cwd(), await writeChart(file))} (the README's chart)`);
  }
} finally {
  cleanup();
}
