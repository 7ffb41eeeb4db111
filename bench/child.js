// One benchmark child: `node bench/child.js '<spec JSON>'`, started fresh by run.js for every
// dataset × mode × contender × target so that its peak RSS is its own.
//
// spec = { dataset, mode, contender, targets, scale, seed, reps, capMs, tmpdir, dataFile?,
//          noVerify?, checkpoints? }
//   or   { oracle: true, dataset, mode, scale, seed, out, dataFile? }   (write the reference
//          text, and the data as JSON Lines to dataFile)
//
// Prints one JSON line on stdout:
//   { baseRssMB, genMs, targets: { file: T, sink: T } }, T = { runs: [{ ms, bytes, maxStallMs }],
//     peakRssMB, output: { sha256, size }, capped, noOutput, checkpoints }
// Only the serialization + write is timed. peakRssMB is process.resourceUsage().maxRSS after
// the first run of the first target; baseRssMB the same before it (after data generation).
// spec.noVerify: skip hashing the output (memory.js, whose outputs are gigabytes).
// spec.checkpoints (lazy datasets): also note maxRSS when those row counts have been pulled.

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { build, loadJsonl, saveJsonl } from './datasets.js';
import { contender } from './contenders.js';
import { hashFile, oracle } from './verify.js';

const spec = JSON.parse(process.argv[2]);
const maxRssMB = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
const gc = globalThis.gc ?? (() => {});

/** A Writable that never pushes back: its callback is synchronous. Optionally hashes. */
function nullSink(hash) {
  const sink = new Writable({
    write(chunk, encoding, cb) {
      sink.bytes += chunk.length;
      if (hash) hash.update(chunk);
      cb();
    },
  });
  sink.bytes = 0;
  return sink;
}

/** Largest gap between ticks of a 5 ms interval, the open gap at the end included. */
function stallMeter() {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > max) max = now - last;
    last = now;
  }, 5);
  return () => {
    clearInterval(timer);
    const now = performance.now();
    return Math.max(max, now - last);
  };
}

function writeOracle() {
  const { value } = build(spec.dataset, spec.scale, spec.seed);
  if (spec.dataFile) saveJsonl(value, spec.dataFile);
  const text = oracle(value, spec.mode);
  fs.writeFileSync(spec.out, text);
  return { output: hashFile(spec.out) };
}

/** Wraps a lazy dataset's generator to note maxRSS when row n of `marks` has been pulled. */
function withCheckpoints(gen, marks, out) {
  const note = (i) => { if (marks.includes(i)) out.push({ rows: i, peakRssMB: maxRssMB() }); };
  if (Symbol.asyncIterator in gen) {
    return (async function* () { let i = 0; for await (const r of gen) { yield r; note(++i); } })();
  }
  return (function* () { let i = 0; for (const r of gen) { yield r; note(++i); } })();
}

/** The timed runs of one target, then (sink) an untimed verification pass if needed. */
async function benchTarget(c, target, data, state) {
  const lazy = spec.dataset.startsWith('lazy');
  const out = { runs: [] };
  // slow contenders hash their sink output inline (their speed is not at stake); the others
  // get one extra untimed pass into a hashing sink, after the timed runs
  const inlineHash = c.slow && target === 'sink';
  const ctx = (rep, hash) => ({
    dataset: spec.dataset,
    mode: spec.mode,
    target,
    value: lazy ? build(spec.dataset, spec.scale, spec.seed).value : data.value,
    materialize: data.materialize,
    path: path.join(spec.tmpdir, `out-${process.pid}-${target}-${rep}.json`),
    sink: nullSink(hash),
    devNullFd: state.devNullFd,
  });

  for (let rep = 0; rep < spec.reps; rep++) {
    const hash = inlineHash ? crypto.createHash('sha256') : null;
    const x = ctx(rep, hash);
    if (spec.checkpoints && rep === 0) x.value = withCheckpoints(x.value, spec.checkpoints, (out.checkpoints = []));
    let capped = false;
    let capTimer;
    const stopStall = stallMeter();
    const t = performance.now();
    const run = Promise.resolve().then(() => c.run(x));
    const cap = spec.capMs ? new Promise((resolve) => { capTimer = setTimeout(() => { capped = true; resolve(); }, spec.capMs); }) : null;
    const text = await (cap ? Promise.race([run, cap]) : run);
    const ms = performance.now() - t;
    const maxStallMs = stopStall();
    clearTimeout(capTimer);

    let bytes;
    if (typeof text === 'string') bytes = Buffer.byteLength(text);
    else if (typeof text?.bytes === 'number' && target === 'sink') bytes = text.bytes;
    else if (target === 'file') bytes = fs.existsSync(x.path) ? fs.statSync(x.path).size : 0;
    else bytes = x.sink.bytes;
    out.runs.push({ ms, bytes, maxStallMs });

    if (rep === 0) {
      // peak RSS is the child's own only for its first target (maxRSS is a high-water mark)
      if (state.first) out.peakRssMB = maxRssMB();
      state.first = false;
      if (spec.noVerify || c.noOutput) out.noOutput = true;
      else if (typeof text === 'string') out.output = { sha256: crypto.createHash('sha256').update(text).digest('hex'), size: bytes };
      else if (target === 'file') out.output = fs.existsSync(x.path) ? hashFile(x.path) : undefined;
      else if (hash) out.output = { sha256: hash.digest('hex'), size: bytes };
    }
    fs.rmSync(x.path, { force: true });
    if (capped) {
      // partial output: the parent checks it as a prefix of the reference. The run goes on
      // in the background, so this child stops here (slow contenders get one child per target).
      out.capped = true;
      state.stop = true;
      return out;
    }
    gc();
  }

  if (target === 'sink' && !out.output && !out.noOutput) {
    // untimed verification pass into a hashing sink (dumpSync: into a file, by fd)
    const hash = crypto.createHash('sha256');
    const x = ctx(spec.reps, hash);
    if (c.id === 'jd-dumpSync') {
      x.devNullFd = fs.openSync(x.path, 'w');
      await c.run(x);
      fs.closeSync(x.devNullFd);
      out.output = hashFile(x.path);
      fs.rmSync(x.path, { force: true });
    } else {
      await c.run(x);
      out.output = { sha256: hash.digest('hex'), size: x.sink.bytes };
    }
  }
  return out;
}

async function bench() {
  const c = contender(spec.contender);
  await c.load?.();
  const t = performance.now();
  // materialized datasets come from the JSON Lines copy the reference step saved, if any
  const data = spec.dataFile ? { value: loadJsonl(spec.dataFile) } : build(spec.dataset, spec.scale, spec.seed);
  const genMs = performance.now() - t;
  gc();
  const result = { baseRssMB: maxRssMB(), genMs, targets: {} };
  const state = { first: true, stop: false, devNullFd: fs.openSync('/dev/null', 'w') };
  for (const target of spec.targets) {
    result.targets[target] = await benchTarget(c, target, data, state);
    if (state.stop) break;
  }
  return result;
}

try {
  const result = spec.oracle ? writeOracle() : await bench();
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
} catch (err) {
  process.stdout.write(JSON.stringify({ error: String(err?.stack ?? err) }) + '\n');
  process.exit(1);
}
