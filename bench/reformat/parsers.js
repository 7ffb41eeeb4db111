// How fast can each streaming JSON parser on npm merely READ a file? A parser that cannot
// tokenize the file in half of jq's time for reformatting it cannot reach twice jq's speed, however
// fast the writing side. Each run reads the file in 64 KiB chunks (createReadStream's default:
// stream-json slows down badly on larger ones), lets the parser tokenize it,
// counts the tokens (or events) and writes nothing.
//
//   node bench/reformat/parsers.js FILE [--only a,b] [--modules DIR]
//
// stream-json is a dependency; the others are not: install them for the run
// (`npm install --no-save @streamparser/json jsonparse clarinet`) or point --modules at a
// node_modules folder that has them. Each parser runs in a child of its own, so that peak RSS
// is its own (`process.resourceUsage().maxRSS`).

import { spawnSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CHUNK = 1 << 16;

async function load(name, modules) {
  try {
    return await import(name);
  } catch (error) {
    if (modules === undefined) throw error;
    return createRequire(path.join(path.resolve(modules), '..', 'x.js'))(name);
  }
}

async function* chunks(file) {
  yield* createReadStream(file, { highWaterMark: CHUNK });
}

/** Each parser: (file, modules) → Promise<count of tokens or events>. */
const PARSERS = {
  async 'stream-json (packed + streamed: the defaults)'(file) {
    return streamJson(file, {});
  },
  async 'stream-json (packed only)'(file) {
    return streamJson(file, { streamValues: false });
  },
  async 'stream-json (streamed only: flat memory)'(file) {
    return streamJson(file, { packValues: false });
  },
  async '@streamparser/json Tokenizer'(file, modules) {
    const { Tokenizer } = await load('@streamparser/json', modules);
    const tokenizer = new Tokenizer({ numberBufferSize: 64 });
    let n = 0;
    tokenizer.onToken = () => n++;
    tokenizer.onError = (error) => {
      throw error;
    };
    for await (const chunk of chunks(file)) tokenizer.write(chunk);
    tokenizer.end();
    return n;
  },
  async jsonparse(file, modules) {
    const Parser = await load('jsonparse', modules);
    const parser = new (Parser.default ?? Parser)();
    let n = 0;
    parser.onToken = () => n++;
    for await (const chunk of chunks(file)) parser.write(chunk);
    return n;
  },
  async clarinet(file, modules) {
    const clarinet = await load('clarinet', modules);
    const parser = (clarinet.default ?? clarinet).parser();
    let n = 0;
    const count = () => n++;
    parser.onvalue = parser.onkey = parser.onopenobject = parser.oncloseobject = count;
    parser.onopenarray = parser.onclosearray = count;
    parser.onerror = (error) => {
      throw error;
    };
    const decoder = new TextDecoder();
    for await (const chunk of chunks(file)) parser.write(decoder.decode(chunk, { stream: true }));
    parser.close();
    return n;
  },
  async 'JSON.parse (whole file in memory: not streaming, for scale)'(file) {
    const { readFile } = await import('node:fs/promises');
    const value = JSON.parse(await readFile(file, 'utf8'));
    return Array.isArray(value) ? value.length : 1;
  },
  async 'jsondump re-encoder (reads and writes compact, output dropped)'(file) {
    const { ReformatEncoder } = await import('../../dist/reformat/encoder.js');
    const { utf8Chunks } = await import('../../dist/reformat/utf8.js');
    const format = { input: 'json', output: 'document', indent: null, itemSep: ',', keySep: ':', ensureAscii: false, escapeHTML: false, escapeLineTerminators: false };
    const encoder = new ReformatEncoder(format);
    for await (const chunk of utf8Chunks(chunks(file), 'error')) {
      for (let i = 0; i < chunk.length; ) {
        i = encoder.write(chunk, i);
        encoder.take();
      }
    }
    encoder.finish();
    return encoder.values;
  },
};

async function streamJson(file, options) {
  const { default: parser } = await import('stream-json/parser.js');
  const tokens = createReadStream(file, { highWaterMark: CHUNK }).pipe(parser.asStream(options));
  let n = 0;
  for await (const _ of tokens) n++;
  return n;
}

async function child(name, file, modules) {
  const started = performance.now();
  const count = await PARSERS[name](file, modules);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, count, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { only: { type: 'string' }, modules: { type: 'string' }, child: { type: 'string' } },
  });
  const [file] = positionals;
  if (values.child !== undefined) return child(values.child, file, values.modules);
  const names = Object.keys(PARSERS).filter((name) => values.only === undefined || values.only.split(',').some((part) => name.includes(part)));
  console.log(`| parser | seconds | MB/s | peak RSS MiB | tokens |\n|---|---:|---:|---:|---:|`);
  const script = fileURLToPath(import.meta.url);
  const size = statSync(file).size;
  if (values.only === undefined || values.only.includes('jq')) {
    // the yardstick, in the same run: jq reformatting the file (indent 2) into /dev/null
    const started = performance.now();
    const jq = spawnSync('sh', ['-c', 'jq . "$1" > /dev/null', 'sh', file]);
    const seconds = (performance.now() - started) / 1000;
    console.log(`| jq . (parses AND writes: the yardstick) | ${jq.status === 0 ? seconds.toFixed(2) : 'failed'} | ${(size / 1e6 / seconds).toFixed(1)} | | |`);
  }
  for (const name of names) {
    const args = [script, file, '--child', name, ...(values.modules ? ['--modules', values.modules] : [])];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (run.status !== 0) {
      console.log(`| ${name} | failed: ${run.stderr.trim().split('\n').pop()} | | | |`);
      continue;
    }
    const { seconds, count, maxRssMiB } = JSON.parse(run.stdout);
    console.log(`| ${name} | ${seconds.toFixed(2)} | ${(size / 1e6 / seconds).toFixed(1)} | ${maxRssMiB.toFixed(0)} | ${count} |`);
  }
}

await main();
