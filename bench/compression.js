// How fast node:zlib compresses export-like JSON Lines at the settings the CLI could use for
// `-o FILE.gz` / `FILE.br`: MB/s of JSON in, and the compressed size. Not part of npm test.
//   node bench/compression.js [--mb 20]
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const mbArg = process.argv.indexOf('--mb');
const targetBytes = (mbArg > 0 ? Number(process.argv[mbArg + 1]) : 20) * 1e6;

// Rows like a customer table: ids, short non-ASCII text, emails, reals, a small array, booleans
const lines = [];
let bytes = 0;
for (let i = 0; bytes < targetBytes; i++) {
  const line = JSON.stringify({ id: i, name: `Zoë user ${i}`, email: `u${i}@example.com`, score: i * 0.37, tags: ['a', 'b'], active: i % 3 === 0 });
  lines.push(line);
  bytes += line.length + 1;
}
const input = Buffer.from(lines.join('\n') + '\n');

const contenders = [
  ['gzip (level 6, zlib default)', (b) => gzipSync(b)],
  ...[1, 2, 3, 4, 5, 11].map((q) => [`brotli quality ${q}${q === 11 ? ' (zlib default)' : ''}`, (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: q } })]),
];

console.log(`${(input.length / 1e6).toFixed(1)} MB of JSON Lines, ${lines.length} rows, Node ${process.version}`);
console.log('| compression | MB/s | output MB | ratio |');
console.log('|---|---:|---:|---:|');
for (const [name, compress] of contenders) {
  // quality 11 is too slow for the whole input: timed on a slice, sized by extrapolation
  const sample = name.includes('quality 11') ? input.subarray(0, Math.min(input.length, 2e6)) : input;
  const started = process.hrtime.bigint();
  const out = compress(sample);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const scale = input.length / sample.length;
  console.log(`| ${name} | ${(sample.length / 1e6 / seconds).toFixed(1)} | ${((out.length * scale) / 1e6).toFixed(2)} | ${(sample.length / out.length).toFixed(1)} |`);
}
