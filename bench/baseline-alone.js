#!/usr/bin/env node
// The benchmark's baseline as a user runs it: a fresh process that holds the data and calls
// fs.writeFileSync(path, JSON.stringify(value)), nothing else running. Its time must match the
// "JSON.stringify + writeFileSync" row of `npm run bench` for the same dataset: if the bench's
// row is slower, something in the bench (a collection, another contender's dirty pages) is
// charged to the baseline and every ratio is inflated.
//
//   /usr/bin/time -v node --max-old-space-size=12288 bench/baseline-alone.js records [--scale 1] [--reps 3]
//
// The data is read from the JSON Lines copy that `bench/run.js` caches (bench/.cache/), or
// built from the seed when there is none, before the clock starts; the page cache is flushed
// first, as run.js does before each contender.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, loadJsonl } from './datasets.js';
import { flushPageCache } from './spawn.js';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' }, reps: { type: 'string', default: '3' } },
});
const dataset = positionals[0] ?? 'records';
const scale = Number(opt.scale);
const seed = Number(opt.seed);
const cache = path.join(path.dirname(new URL(import.meta.url).pathname), '.cache', 'ref');
const cached = fs.existsSync(cache) ? fs.readdirSync(cache).find((f) => f.startsWith(`${dataset}-data-s${scale}-seed${seed}-`) && f.endsWith('.jsonl')) : undefined;
const value = cached ? loadJsonl(path.join(cache, cached)) : build(dataset, scale, seed).value;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsondump-baseline-'));
try {
  for (let rep = 0; rep < Number(opt.reps); rep++) {
    flushPageCache();
    const file = path.join(dir, 'out.json');
    const started = performance.now();
    const text = JSON.stringify(value);
    const built = performance.now();
    fs.writeFileSync(file, text);
    const ended = performance.now();
    console.log(`${dataset} (${cached ? 'cached JSON Lines' : 'built'}): ${((ended - started) / 1000).toFixed(2)} s — JSON.stringify ${((built - started) / 1000).toFixed(2)} s, writeFileSync ${((ended - built) / 1000).toFixed(2)} s, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
    fs.rmSync(file);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
