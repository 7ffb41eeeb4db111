// One benchmark child: `node bench/child.js '<spec JSON>'`, started fresh by run.js for every
// dataset × mode × contender × target so that its peak RSS is its own.
//
// spec = { dataset, mode, contender, target, scale, seed, reps, capMs, tmpdir }
//   or   { oracle: true, dataset, mode, scale, seed, out }   (write the reference text)
//
// Prints one JSON line on stdout:
//   { runs: [{ ms, bytes, maxStallMs }], baseRssMB, peakRssMB, genMs, output: {sha256, size},
//     capped, noOutput }
// spec.noVerify: skip hashing the output (memory.js, whose outputs are gigabytes).
// Only the serialization + write is timed. peakRssMB is process.resourceUsage().maxRSS after
// the first run; baseRssMB the same before it (after the data was generated).

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { build } from './datasets.js';
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
  const text = oracle(value, spec.mode);
  fs.writeFileSync(spec.out, text);
  return { output: hashFile(spec.out) };
}

async function bench() {
  const c = contender(spec.contender);
  let t = performance.now();
  const data = build(spec.dataset, spec.scale, spec.seed);
  const genMs = performance.now() - t;
  gc();
  const baseRssMB = maxRssMB();
  const devNullFd = fs.openSync('/dev/null', 'w');
  const result = { runs: [], baseRssMB, genMs, noOutput: !!c.noOutput };
  // Slow contenders hash their sink output inline (their speed is not at stake); the others
  // get one extra untimed pass into a hashing sink, after the timed runs.
  const inlineHash = c.slow && spec.target === 'sink';

  const ctx = (rep, hash) => ({
    dataset: spec.dataset,
    mode: spec.mode,
    target: spec.target,
    value: spec.dataset.startsWith('lazy') && rep > 0 ? build(spec.dataset, spec.scale, spec.seed).value : data.value,
    materialize: data.materialize,
    path: path.join(spec.tmpdir, `out-${process.pid}-${rep}.json`),
    sink: nullSink(hash),
    devNullFd,
  });

  for (let rep = 0; rep < spec.reps; rep++) {
    const hash = inlineHash ? crypto.createHash('sha256') : null;
    const x = ctx(rep, hash);
    let capped = false;
    let capTimer;
    const stopStall = stallMeter();
    t = performance.now();
    const run = Promise.resolve().then(() => c.run(x));
    const cap = spec.capMs ? new Promise((resolve) => { capTimer = setTimeout(() => { capped = true; resolve(); }, spec.capMs); }) : null;
    const text = await (cap ? Promise.race([run, cap]) : run);
    const ms = performance.now() - t;
    const maxStallMs = stopStall();
    clearTimeout(capTimer);

    let bytes;
    if (typeof text === 'string') bytes = Buffer.byteLength(text);
    else if (spec.target === 'file') bytes = fs.existsSync(x.path) ? fs.statSync(x.path).size : 0;
    else bytes = x.sink.bytes;
    result.runs.push({ ms, bytes, maxStallMs });

    if (rep === 0) {
      result.peakRssMB = maxRssMB();
      if (spec.noVerify) result.noOutput = true;
      else if (typeof text === 'string') result.output = { sha256: crypto.createHash('sha256').update(text).digest('hex'), size: bytes };
      else if (spec.target === 'file') result.output = fs.existsSync(x.path) ? hashFile(x.path) : undefined;
      else if (hash) result.output = { sha256: hash.digest('hex'), size: bytes };
    }
    fs.rmSync(x.path, { force: true });
    if (capped) {
      // partial output: the parent checks it as a prefix of the reference; stop here
      result.capped = true;
      return result;
    }
    gc();
  }

  if (spec.target === 'sink' && !result.output && !result.noOutput) {
    // untimed verification pass into a hashing sink (dumpSync: into a file by fd)
    const hash = crypto.createHash('sha256');
    const x = ctx(spec.reps, hash);
    if (c.id === 'jd-dumpSync') {
      x.devNullFd = fs.openSync(x.path, 'w');
      await c.run(x);
      fs.closeSync(x.devNullFd);
      result.output = hashFile(x.path);
      fs.rmSync(x.path, { force: true });
    } else {
      await c.run(x);
      result.output = { sha256: hash.digest('hex'), size: x.sink.bytes };
    }
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
