// The serializers under test. Each contender writes `ctx.value` either to the file
// `ctx.path` (target 'file') or into `ctx.sink` (target 'sink': a Writable whose write
// callback is synchronous, so it never pushes back). Only the serialization and the write
// are timed; the caller measures bytes and checks the output.
//
// ctx = { value, mode, target, path, sink, devNullFd, materialize, dataset }
//   value        the data (for lazy datasets: a fresh generator per run)
//   materialize  lazy datasets only: () => rows as an array (or a promise of one)
//
// A contender's `run` returns the output string when it builds the whole text in memory
// (JSON.stringify into the sink), so the caller can hash it, or { bytes } when the sink
// cannot count them (dumpSync into /dev/null).

import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';
import { oracle } from './verify.js';

const require = createRequire(import.meta.url);

/** jsondump options for each mode. */
export const MODES = {
  compact: {},
  indent: { indent: 2 },
  python: { dialect: 'python' },
  ensureAscii: { ensureAscii: true },
  sortKeys: { sortKeys: true },
};

const space = (mode) => (mode === 'indent' ? 2 : undefined);
const isLazy = (ctx) => ctx.dataset.startsWith('lazy');

// Modules are loaded by load() before the clock starts (dist/ may not be built: only the
// jsondump contenders need it).
const lib = {};
async function loadJsondump() {
  lib.jd = await import('../dist/index.js');
  if (typeof lib.jd.dump !== 'function') throw new Error('dist/index.js has no dump(): run npm run build');
}

/** Makes the jsondump contenders use `jd` (another build of the library: bench/turns.js). */
export function useLibrary(jd) {
  lib.jd = jd;
}

/** Native: JSON.stringify (lazy datasets: of the rows materialized inside the timing). */
async function nativeRun(ctx, text) {
  const value = isLazy(ctx) ? await ctx.materialize() : ctx.value;
  const str = text(value);
  if (ctx.target === 'sink') return str; // into a null sink: just the string
  fs.writeFileSync(ctx.path, str);
  return undefined;
}

/** Writes a sync iterable of string chunks (json-ext) to the target. */
function writeChunks(ctx, chunks) {
  if (ctx.target === 'sink') {
    for (const chunk of chunks) ctx.sink.write(chunk);
    return;
  }
  const fd = fs.openSync(ctx.path, 'w');
  try {
    for (const chunk of chunks) fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}

/** Pipes a Readable of text to the target and waits for the end. */
function pipeTo(ctx, readable) {
  const dest = ctx.target === 'sink' ? ctx.sink : fs.createWriteStream(ctx.path);
  return pipeline(readable, dest);
}

export const CONTENDERS = [
  {
    id: 'native',
    label: 'JSON.stringify + writeFileSync',
    baseline: true,
    modes: ['compact', 'python', 'ensureAscii', 'sortKeys'],
    run: (ctx) => nativeRun(ctx, (v) => JSON.stringify(v)),
  },
  {
    id: 'native-indent',
    label: 'JSON.stringify(v, null, 2) + writeFileSync',
    baseline: true,
    modes: ['indent'],
    run: (ctx) => nativeRun(ctx, (v) => JSON.stringify(v, null, 2)),
  },
  {
    // What a user does without jsondump: JSON.stringify plus a post-pass / sorting replacer.
    id: 'native-equiv',
    label: 'JSON.stringify + oracle post-pass',
    modes: ['ensureAscii', 'sortKeys'],
    run: (ctx) => nativeRun(ctx, (v) => oracle(v, ctx.mode)),
  },
  {
    // The "limit" sketch: native JSON.stringify per element, 64 KiB chunks, writeSync,
    // with no check that an element is plain (so it is wrong for a toJSON, a Map, undefined…).
    // A same-run ceiling for jsondump's compact path, not a usable serializer.
    id: 'ceiling',
    label: 'ceiling: JSON.stringify per element, 64 KiB writeSync (no checks)',
    modes: ['compact'],
    datasets: ['records', 'strings', 'deep', 'lazy-sync'],
    run: (ctx) => {
      const fd = ctx.target === 'file' ? fs.openSync(ctx.path, 'w') : -1;
      const flush = (text) => (fd >= 0 ? fs.writeSync(fd, text) : ctx.sink.write(text));
      let buf = '[';
      let first = true;
      for (const element of ctx.value) {
        if (first) first = false;
        else buf += ',';
        buf += JSON.stringify(element);
        if (buf.length >= 65536) { flush(buf); buf = ''; }
      }
      flush(buf + ']');
      if (fd >= 0) fs.closeSync(fd);
    },
  },
  {
    id: 'jsonext',
    label: 'json-ext stringifyChunked',
    modes: ['compact', 'indent'],
    datasets: ['records', 'strings', 'deep', 'people', 'texts', 'forest', 'nested'],
    load: async () => { lib.jsonext = await import('@discoveryjs/json-ext'); },
    run: (ctx) => {
      writeChunks(ctx, lib.jsonext.stringifyChunked(ctx.value, null, space(ctx.mode)));
    },
  },
  {
    id: 'jss',
    label: 'json-stream-stringify',
    modes: ['compact', 'indent'],
    load: async () => { lib.jss = await import('json-stream-stringify'); },
    run: async (ctx) => {
      const { JsonStreamStringify } = lib.jss;
      // it takes no generators; an object-mode Readable of the rows is its streaming input
      const value = isLazy(ctx) ? Readable.from(ctx.value) : ctx.value;
      await pipeTo(ctx, new JsonStreamStringify(value, undefined, space(ctx.mode)));
    },
  },
  {
    id: 'bfj',
    label: 'bfj',
    slow: true,
    modes: ['compact', 'indent'],
    datasets: ['records', 'strings', 'deep'],
    load: async () => { lib.bfj = require('bfj'); },
    run: async (ctx) => {
      const { bfj } = lib;
      const options = space(ctx.mode) ? { space: space(ctx.mode) } : {};
      if (ctx.target === 'file') await bfj.write(ctx.path, ctx.value, options);
      else await pipeTo(ctx, bfj.streamify(ctx.value, options));
    },
  },
  {
    id: 'streamjson',
    label: 'stream-json Disassembler + Stringer',
    slow: true,
    modes: ['compact'],
    datasets: ['records', 'strings', 'deep'],
    load: async () => {
      lib.disassembler = (await import('stream-json/disassembler.js')).disassembler;
      lib.stringer = (await import('stream-json/stringer.js')).stringer;
    },
    run: async (ctx) => {
      const { disassembler, stringer } = lib;
      // packed tokens only (keyValue/stringValue/numberValue): its fastest configuration
      const tokens = disassembler.asStream({ streamValues: false });
      const done = pipeTo(ctx, tokens.pipe(stringer.asStream({ useValues: true })));
      tokens.end(ctx.value);
      await done;
    },
  },
  {
    id: 'jd-dump',
    label: 'jsondump dump',
    jsondump: true,
    load: loadJsondump,
    async: true,
    run: async (ctx) => {
      const { dump } = lib.jd;
      await dump(ctx.value, ctx.target === 'file' ? ctx.path : ctx.sink, MODES[ctx.mode]);
    },
  },
  {
    id: 'jd-dump-noatomic',
    label: 'jsondump dump, atomic: false',
    jsondump: true,
    load: loadJsondump,
    async: true,
    modes: ['compact', 'indent'],
    targets: ['file'],
    run: async (ctx) => {
      const { dump } = lib.jd;
      await dump(ctx.value, ctx.path, { ...MODES[ctx.mode], atomic: false });
    },
  },
  {
    id: 'jd-dumpSync',
    label: 'jsondump dumpSync',
    jsondump: true,
    load: loadJsondump,
    datasets: ['records', 'strings', 'deep', 'people', 'texts', 'forest', 'nested', 'lazy-sync'],
    run: async (ctx) => {
      const { dumpSync } = lib.jd;
      // into the sink: the fd of /dev/null (dumpSync takes paths and fds, not streams);
      // its DumpStats give the byte count there
      const stats = dumpSync(ctx.value, ctx.target === 'file' ? ctx.path : ctx.devNullFd, MODES[ctx.mode]);
      return ctx.target === 'sink' ? { bytes: stats.bytes } : undefined;
    },
  },
  {
    id: 'jd-stream',
    label: 'jsondump createStringifyStream',
    jsondump: true,
    load: loadJsondump,
    async: true,
    run: async (ctx) => {
      const { createStringifyStream } = lib.jd;
      await pipeTo(ctx, createStringifyStream(ctx.value, MODES[ctx.mode]));
    },
  },
  {
    // The floor for the lazy datasets: producing the rows costs this much with no output.
    id: 'gen-only',
    label: '(generating the rows only, no output)',
    datasets: ['lazy-sync', 'lazy-async'],
    modes: ['compact'],
    targets: ['sink'],
    noOutput: true,
    run: async (ctx) => {
      let n = 0;
      if (ctx.dataset === 'lazy-async') for await (const r of ctx.value) n += r.id & 1;
      else for (const r of ctx.value) n += r.id & 1;
      return n > -1 ? '' : undefined;
    },
  },
];

export const contender = (id) => {
  const c = CONTENDERS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown contender ${id}`);
  return c;
};

/** Does contender c apply to dataset/mode/target at all (before the run plan's defaults)? */
export function applies(c, dataset, mode, target) {
  return (!c.modes || c.modes.includes(mode))
    && (!c.datasets || c.datasets.includes(dataset))
    && (!c.targets || c.targets.includes(target));
}
