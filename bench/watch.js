// The watch of an async dump (src/drive/watch.ts) reads the members of an opened container a
// slice at a time (16,384 members) and gives each native promise a handler and each Readable an
// 'error' listener. How long one slice holds the event loop, by what the members are:
//
//   node --expose-gc bench/watch.js [--reps 9] [--dist dist]
//
// Prints the median and the worst time of the first slice read when an array (or a Map) of
// 16,384 × 4 members opens. The pending promises are made afresh for every repetition, outside
// the timing; their handlers allocate (then() makes a promise each), so their slice includes
// the young generation's collections. Not part of npm test; nothing asserts on time.

import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { build } from './datasets.js';

const { values: opt } = parseArgs({ options: { reps: { type: 'string', default: '9' }, dist: { type: 'string', default: 'dist' } } });
const dist = path.resolve(opt.dist);
const { Watch } = await import(pathToFileURL(path.join(dist, 'drive', 'watch.js')).href);
const { Frame } = await import(pathToFileURL(path.join(dist, 'walk', 'frame.js')).href);
const gc = globalThis.gc ?? (() => { throw new Error('run with node --expose-gc'); });

const N = 16384 * 4;
// The frame kinds of src/walk/frame.ts (a const enum there).
const ARRAY = 1;
const MAP = 3;

const rows = build('records', N / 400000, 1).value;
const strings = build('strings', N / 1700000, 1).value.map((x) => (typeof x === 'string' ? x : 'x'));
const gate = new Promise(() => {});
const cases = {
  'database-like rows': () => rows,
  'short strings': () => strings,
  'pending promises': () => Array.from({ length: N }, () => gate.then(() => 0)),
  'a Map of rows': () => new Map(rows.map((r, i) => [i, r])),
};

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`| members | first slice, median ms | worst ms |\n|---|---:|---:|`);
for (const [name, make] of Object.entries(cases)) {
  const times = [];
  for (let rep = 0; rep < Number(opt.reps); rep++) {
    const value = make();
    const isMap = value instanceof Map;
    const frame = new Frame(isMap ? MAP : ARRAY, value);
    frame.len = isMap ? 0 : value.length;
    const watch = new Watch([frame], null);
    gc();
    const t = performance.now();
    watch.update();
    times.push(performance.now() - t);
    watch.stop();
  }
  console.log(`| ${name} | ${median(times).toFixed(2)} | ${Math.max(...times).toFixed(2)} |`);
}
process.exit(0);
