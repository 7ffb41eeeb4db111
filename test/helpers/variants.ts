// The one table of output variants: every way the library turns a value into text. The contract
// says all of them write the text of `dumps(v, o)`; behaviour tests run a value through every
// variant (`expectVariants`, or `allVariantsSettled` for their own comparison) instead of keeping
// tables of their own.
//
// A variant is a `VariantDef` in `VARIANTS`: its name, whether it is a sync function (those raise
// ERR_ASYNC_VALUE for async values), an optional `skip` (why it does not apply to this value and
// these options) and `run`. To add one, append a definition; `text: null` marks a variant that
// writes no text and reports stats only, which are then held to the expected text's bytes:
//
//   { name: 'measure', sync: false, run: async (c) => ({ text: null, stats: await measure(c.make(), c.options) }) },
//   { name: 'dump:web', sync: false, run: async (c) => { …a WritableStream collecting chunks…
//       const stats = await dump(c.make(), ws, c.options); return { text, encoded: true, stats }; } },
//
// Besides the text, the variants check what must hold whatever the outcome, and report breaches
// as `problems`: a path target keeps its old content on failure and no temporary file is left; a
// Writable keeps the listeners it had; an fd or FileHandle is left open for its owner.
//
// A value that is consumed when it is serialized (generator, stream, async iterable) must be
// given as a factory: a function argument is ALWAYS treated as `() => value` and called once
// per variant run. To serialize a function itself, pass `() => theFunction`.

import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser } from 'stream-json';
import {
  createStringifyStream,
  dump,
  dumpLines,
  dumps,
  dumpSync,
  encodeTokens,
  JSONDumpError,
  RawJSON,
  stringifyChunks,
  stringifyChunksSync,
} from '../../src/index.js';
import type { DumpStats } from '../../src/index.js';

export type Options = NonNullable<Parameters<typeof dumps>[1]>;
export type DumpOpts = NonNullable<Parameters<typeof dump>[2]>;
export type Variant = string;

/** What a variant run gets. */
export interface RunContext {
  /** A fresh value on every call. */
  make: () => unknown;
  /**
   * One fresh value for `skip` to look at (the same one for every variant of a run, never
   * serialized; a sync iterable in it may have been consumed by an earlier look).
   */
  probe: () => unknown;
  options: Options | undefined;
  /** Every chunk the variant produced, as it produced it. */
  onChunk: (chunk: string | Buffer) => void;
  /** The expected text, when the caller knows it (encodeTokens re-encodes it). */
  oracle?: string;
  /** See VariantFlags.lines. */
  lines?: boolean;
}

/** What a variant run produced. */
export interface Output {
  /**
   * Text comparable with `dumps(v, o)` (dumpLines: its lines joined as an array, see there);
   * null for a variant that writes no text, only stats.
   */
  text: string | null;
  /** What was written, when it differs from `text`. */
  written?: string;
  /**
   * The text was read back from UTF-8 bytes (a file, Buffer chunks): a lone surrogate in the
   * output (from an indent or separator string: strings escape theirs) became U+FFFD.
   */
  encoded?: boolean;
  stats?: DumpStats;
  chunks?: number;
  /** Invariants the variant checks itself that were broken. */
  problems?: string[];
}

export interface VariantDef {
  readonly name: Variant;
  /** A sync function: async values raise ERR_ASYNC_VALUE. */
  readonly sync: boolean;
  /**
   * false: run at the options' chunk size only, not again at each extra chunk size of a test:
   * `dumps` ignores chunkSize; the path variants write through the same sinks as the fd ones
   * (which do run at every chunk size) and each costs two fsyncs.
   */
  readonly chunkRuns?: boolean;
  /** Why the variant does not apply to this value and these options; null when it does. */
  skip?(ctx: RunContext): string | null;
  run(ctx: RunContext): Promise<Output>;
}

export type Settled =
  | ({ ok: true } & Output)
  | { ok: false; error: unknown; problems?: string[] };

// ---- shared pieces ------------------------------------------------------------------------

let root: string | null = null;
let counter = 0;

/**
 * This process's directory for the variants' files (removed at exit): on tmpfs where there is
 * one, since every atomic write ends with two fsyncs that only cost time on a disk.
 */
function variantDir(): string {
  if (root === null) {
    const base = fs.existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    root = fs.mkdtempSync(join(base, 'jsondump-variants-'));
    const r = root;
    process.once('exit', () => fs.rmSync(r, { recursive: true, force: true }));
  }
  return root;
}

/** A fresh path in the variants' directory. */
function freshPath(ext = 'json'): string {
  return join(variantDir(), `out-${process.pid}-${++counter}.${ext}`);
}

/** A fresh empty directory (removed at exit). */
export function freshDir(): string {
  const d = join(variantDir(), `d-${process.pid}-${++counter}`);
  fs.mkdirSync(d);
  return d;
}

function decode(chunks: (string | Buffer | Uint8Array)[]): string {
  if (chunks.every((c) => typeof c === 'string')) return (chunks as string[]).join('');
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c)))).toString('utf8');
}

async function collectReadable(r: Readable, onChunk: (c: string | Buffer) => void): Promise<Output> {
  const chunks: (string | Buffer)[] = [];
  for await (const c of r) {
    chunks.push(c as string | Buffer);
    onChunk(c as string | Buffer);
  }
  return { text: decode(chunks), encoded: chunks.some((c) => typeof c !== 'string') };
}

/** The text as it reads back after a round trip through UTF-8 (lone surrogates become U+FFFD). */
export function throughUTF8(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Attaches `problems` to an error thrown by a variant, so that they are reported with it. */
class VariantFailure {
  constructor(
    readonly error: unknown,
    readonly problems: string[],
  ) {}
}

const OLD = 'OLD CONTENT, NOT JSON\n';

/** The directory's entries that were not there before (`before` from readdirSync). */
function newEntries(dir: string, before: readonly string[]): string[] {
  const had = new Set(before);
  return fs.readdirSync(dir).filter((e) => !had.has(e));
}

/**
 * Runs `write(target)`, every other time over an existing target with old content, and checks
 * what atomic writes promise: on success only the target is new in the directory; on failure the
 * old target is intact (or absent) and no temporary file is left.
 */
async function atPath(write: (target: string) => Promise<DumpStats> | DumpStats): Promise<Output> {
  const target = freshPath();
  const dir = variantDir();
  const hadOld = counter % 2 === 0;
  if (hadOld) fs.writeFileSync(target, OLD);
  const before = fs.readdirSync(dir);
  const problems: string[] = [];
  try {
    let stats: DumpStats;
    try {
      stats = await write(target);
    } catch (error) {
      const left = newEntries(dir, before);
      if (hadOld && fs.readFileSync(target, 'utf8') !== OLD) problems.push('a failed dump changed the old target');
      if (left.length !== 0) problems.push(`a failed dump left ${JSON.stringify(left)}`);
      throw new VariantFailure(error, problems);
    }
    const left = newEntries(dir, before).filter((e) => join(dir, e) !== target);
    if (left.length !== 0) problems.push(`the dump left ${JSON.stringify(left)} beside the target`);
    return { text: fs.readFileSync(target, 'utf8'), encoded: true, stats, problems };
  } finally {
    fs.rmSync(target, { force: true });
  }
}

/** Opens a temporary file as an fd, runs `write(fd)`, checks the fd is still open, reads the file back. */
async function atFd(write: (fd: number) => Promise<DumpStats> | DumpStats): Promise<Output> {
  const file = freshPath();
  const fd = fs.openSync(file, 'w');
  const problems: string[] = [];
  try {
    let stats: DumpStats;
    try {
      stats = await write(fd);
    } finally {
      try {
        fs.fstatSync(fd);
      } catch {
        problems.push('the dump closed an fd it does not own');
      }
    }
    return { text: fs.readFileSync(file, 'utf8'), encoded: true, stats, problems };
  } catch (error) {
    throw new VariantFailure(error, problems);
  } finally {
    if (problems.length === 0) fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

const WATCHED_EVENTS = ['error', 'drain', 'close', 'finish', 'unpipe', 'prefinish'] as const;

function listenerCounts(w: Writable): string {
  return WATCHED_EVENTS.map((e) => `${e}:${w.listenerCount(e)}`).join(' ');
}

/**
 * A Writable that records its chunks, with a small highWaterMark (write() returns false, so the
 * dump waits for 'drain') and callbacks alternately synchronous and on the next turn.
 */
function recordingWritable(onChunk: (c: string | Buffer) => void): { w: Writable; chunks: (string | Buffer)[] } {
  const chunks: (string | Buffer)[] = [];
  let n = 0;
  const w = new Writable({
    decodeStrings: false,
    highWaterMark: 64,
    write(chunk: string | Buffer, _enc, cb) {
      chunks.push(chunk);
      onChunk(chunk);
      if (++n % 2 === 0) setImmediate(cb);
      else cb();
    },
  });
  return { w, chunks };
}

/** Dumps to a recording Writable and checks that the listeners it had are all it has after. */
async function toWritable(
  run: (w: Writable) => Promise<DumpStats>,
  onChunk: (c: string | Buffer) => void,
): Promise<{ text: string; encoded: boolean; stats: DumpStats; problems: string[] }> {
  const { w, chunks } = recordingWritable(onChunk);
  w.on('error', () => {}); // the dump reports errors; the test must not crash on an unlistened one
  const before = listenerCounts(w);
  const problems: string[] = [];
  const checkListeners = (): void => {
    const after = listenerCounts(w);
    if (after !== before) problems.push(`listeners on the destination: before ${before}, after ${after}`);
  };
  let stats: DumpStats;
  try {
    stats = await run(w);
  } catch (error) {
    checkListeners();
    throw new VariantFailure(error, problems);
  }
  checkListeners();
  return { text: decode(chunks), encoded: chunks.some((c) => typeof c !== 'string'), stats, problems };
}

// ---- which values dumpLines and encodeTokens apply to --------------------------------------

function isRecord(v: unknown): v is Record<PropertyKey, unknown> {
  return typeof v === 'object' && v !== null;
}

/** An element dumpLines writes as the line dumps writes for it inside an array. */
function lineSafe(e: unknown, o: Record<string, unknown>): boolean {
  if (e === undefined) return false; // null in an array, ERR_UNSERIALIZABLE as a record
  if ((typeof e === 'function' || typeof e === 'symbol') && o.dialect !== 'python' && o.default === undefined) return false;
  if (isRecord(e) && typeof e.then === 'function') return false; // may resolve to undefined
  if (isRecord(e) && typeof e.toJSON === 'function' && !(e instanceof Date)) return false; // may return undefined
  return true;
}

/** A sync iterable (a fresh one: this consumes it) whose elements are each line-safe. */
function iteratedLineSafe(it: Iterable<unknown>, o: Record<string, unknown>): string | null {
  try {
    let n = 0;
    for (const e of it) {
      if (!lineSafe(e, o)) return 'an element is not a record on its own';
      if (++n > 1e6) break;
    }
  } catch {
    // an iterator that throws: dumpLines must let the same error through
  }
  return null;
}

/**
 * null when dumpLines(value) writes, line by line, the elements `dumps(value)` writes: an array,
 * Set or typed array of line-safe elements, a generator or other iterator, an async iterable, an
 * object-mode Readable; no indent (refused), no replacer function (it sees the collection).
 */
function linesSkip(c: RunContext): string | null {
  const o = (c.options ?? {}) as Record<string, unknown>;
  if (c.lines === false) return 'not a records source (flag)';
  if (o.indent !== undefined && o.indent !== null) return 'indent (dumpLines refuses it)';
  if (typeof o.replacer === 'function') return 'replacer function';
  const seps = o.separators;
  if (Array.isArray(seps) && seps.some((s) => typeof s === 'string' && /[\n\r]/.test(s))) return 'separators with a line break (refused)';
  if (c.lines === true) return null;
  const v = c.probe();
  if (!isRecord(v) || typeof v.toJSON === 'function') return 'not a collection';
  if (Array.isArray(v) || v instanceof Set) {
    const elements = Array.isArray(v) ? Array.from({ length: v.length }, (_, i) => v[i]) : [...v];
    return elements.every((e) => lineSafe(e, o)) ? null : 'an element is not a record on its own';
  }
  if (ArrayBuffer.isView(v)) return v instanceof DataView || Buffer.isBuffer(v) ? 'not a collection' : null;
  if (v instanceof Readable) return v.readableObjectMode ? null : 'a byte Readable';
  if (v instanceof Map || v instanceof String || typeof v.then === 'function') return 'not a collection';
  if (typeof v[Symbol.asyncIterator] === 'function') return null;
  if (typeof v[Symbol.iterator] === 'function') return iteratedLineSafe(v as unknown as Iterable<unknown>, o);
  return 'not a collection';
}

/** The data members of an object (a probe must not run the value's getters). */
function dataMembers(v: object): unknown[] {
  return Object.values(Object.getOwnPropertyDescriptors(v)).flatMap((d) => ('value' in d && d.enumerable ? [d.value] : []));
}

/**
 * Plain JSON data: what JSON.parse can return (finite numbers; data members only; no object
 * reached twice). Iterative: values can be a million levels deep.
 */
export function isPlainJSON(root: unknown, safeIntegersOnly = false): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v === 'boolean' || typeof v === 'string') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || (safeIntegersOnly && !Number.isSafeInteger(v))) return false;
      continue;
    }
    if (!isRecord(v) || seen.has(v)) return false;
    seen.add(v);
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) return false;
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) return false;
        stack.push(v[i]);
      }
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if ((proto !== Object.prototype && proto !== null) || 'toJSON' in v || Object.getOwnPropertySymbols(v).length > 0) return false;
    for (const d of Object.values(Object.getOwnPropertyDescriptors(v))) {
      if (!('value' in d) || !d.enumerable) return false;
      stack.push(d.value);
    }
  }
  return true;
}

/** Every object in the value's arrays, objects (data members), Maps and Sets, each once; iterative. */
function* reachable(root: unknown): Generator<object> {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (!isRecord(v) || seen.has(v)) continue;
    seen.add(v);
    yield v;
    if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set) for (const x of v) stack.push(x);
    else if (!ArrayBuffer.isView(v)) stack.push(...dataMembers(v));
  }
}

/** True when a rawJSON fragment is in the value (written verbatim, not re-encoded). */
function holdsRawJSON(v: unknown): boolean {
  const isRaw = (x: object): boolean => x instanceof RawJSON || ('isRawJSON' in JSON && (JSON as { isRawJSON(y: unknown): boolean }).isRawJSON(x));
  for (const x of reachable(v)) if (isRaw(x)) return true;
  return false;
}

/**
 * Lets go of a value made only to look at: a rejected promise in it must not be reported as
 * unhandled (the library never saw it).
 */
function discard(v: unknown): void {
  for (const x of reachable(v)) {
    if (x instanceof Promise) x.catch(() => {});
    else if (x instanceof Readable) x.destroy();
  }
}

/**
 * The JSON text encodeTokens is fed: the oracle's text when it is JSON (it already reflects
 * replacer and sortKeys, which encodeTokens refuses) unless rawJSON fragments were copied into
 * it verbatim, or else JSON.stringify of a plain-JSON
 * value (only without replacer and sortKeys; in the python dialect only with integer numbers,
 * whose text both dialects share).
 */
function tokensSource(c: RunContext): string | null {
  const o = (c.options ?? {}) as Record<string, unknown>;
  if (c.oracle !== undefined && isJSON(c.oracle)) return holdsRawJSON(c.probe()) ? null : c.oracle;
  if (o.replacer !== undefined && o.replacer !== null) return null;
  if (o.sortKeys === true) return null;
  const v = c.probe();
  return isPlainJSON(v, o.dialect === 'python') ? JSON.stringify(v) : null;
}

/** Text in pieces of about `size` characters, never between the halves of a surrogate pair. */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(i + size, text.length);
    const c = text.charCodeAt(end - 1);
    if (end < text.length && c >= 0xd800 && c <= 0xdbff) end++;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/**
 * The token streams stream-json sends, taken in turn: values both streamed in chunks and packed
 * (its default), packed only, streamed only, and a mix.
 */
const TOKEN_FLAVOURS = [{}, { packValues: false }, { streamValues: false }, { packKeys: false, streamNumbers: false }];

// ---- the table ----------------------------------------------------------------------------

export const VARIANTS: VariantDef[] = [
  {
    name: 'dumps',
    sync: true,
    chunkRuns: false,
    async run(c) {
      const text = dumps(c.make(), c.options);
      c.onChunk(text);
      return { text };
    },
  },
  {
    name: 'stringifyChunksSync',
    sync: true,
    async run(c) {
      const parts: string[] = [];
      for (const s of stringifyChunksSync(c.make(), c.options)) {
        parts.push(s);
        c.onChunk(s);
      }
      return { text: parts.join(''), chunks: parts.length };
    },
  },
  {
    name: 'dumpSync:path',
    sync: true,
    chunkRuns: false,
    run: (c) => atPath((target) => dumpSync(c.make(), target, c.options)),
  },
  {
    name: 'dumpSync:fd',
    sync: true,
    run: (c) => atFd((fd) => dumpSync(c.make(), fd, c.options)),
  },
  {
    name: 'stringifyChunks',
    sync: false,
    async run(c) {
      const parts: string[] = [];
      for await (const s of stringifyChunks(c.make(), c.options)) {
        parts.push(s);
        c.onChunk(s);
      }
      return { text: parts.join(''), chunks: parts.length };
    },
  },
  {
    name: 'createStringifyStream',
    sync: false,
    run: (c) => collectReadable(createStringifyStream(c.make(), c.options), c.onChunk),
  },
  {
    name: 'dump:path',
    sync: false,
    chunkRuns: false,
    run: (c) => atPath((target) => dump(c.make(), target, c.options)),
  },
  {
    name: 'dump:writable',
    sync: false,
    run: (c) => toWritable((w) => dump(c.make(), w, c.options), c.onChunk),
  },
  {
    name: 'dump:fd',
    sync: false,
    run: (c) => atFd((fd) => dump(c.make(), fd, c.options)),
  },
  {
    name: 'dump:filehandle',
    sync: false,
    async run(c) {
      const file = freshPath();
      const fh = await fs.promises.open(file, 'w');
      try {
        const stats = await dump(c.make(), fh, c.options);
        const problems = fh.fd === -1 ? ['the dump closed a FileHandle it does not own'] : [];
        return { text: fs.readFileSync(file, 'utf8'), encoded: true, stats, problems };
      } finally {
        await fh.close().catch(() => {});
        fs.rmSync(file, { force: true });
      }
    },
  },
  {
    // Each element on its own line. `text` is the lines joined by the item separator inside
    // brackets: for a records source and compact options, exactly what dumps writes for it.
    name: 'dumpLines',
    sync: false,
    skip: linesSkip,
    async run(c) {
      const r = await toWritable((w) => dumpLines(c.make(), w, c.options as never), c.onChunk);
      const o = (c.options ?? {}) as Record<string, unknown>;
      const itemSep = Array.isArray(o.separators) ? String(o.separators[0]) : o.dialect === 'python' ? ', ' : ',';
      const problems = r.problems;
      if (r.text !== '' && !r.text.endsWith('\n')) problems.push('the last line does not end with a line break');
      const lines = r.text === '' ? [] : r.text.slice(0, -1).split('\n');
      const sep = r.encoded ? throughUTF8(itemSep) : itemSep; // the lines came through UTF-8, the separator must too
      return { text: `[${lines.join(sep)}]`, written: r.text, encoded: r.encoded, stats: r.stats, problems };
    },
  },
  {
    // The oracle's text (or the value's JSON.stringify text) tokenized by stream-json, then
    // re-encoded with the same options: the text of dumps(v, o).
    name: 'encodeTokens',
    sync: false,
    skip: (c) => (tokensSource(c) === null ? 'no JSON text to tokenize' : null),
    async run(c) {
      const source = tokensSource(c)!;
      const { replacer: _r, sortKeys: _s, ...rest } = (c.options ?? {}) as Record<string, unknown>;
      const chunks: (string | Buffer)[] = [];
      const sink = new Writable({
        decodeStrings: false,
        write(chunk: string | Buffer, _enc, cb) {
          chunks.push(chunk);
          c.onChunk(chunk);
          cb();
        },
      });
      const flavour = TOKEN_FLAVOURS[++counter % TOKEN_FLAVOURS.length];
      await pipeline(Readable.from(pieces(source, 7)), parser.asStream(flavour), encodeTokens(rest as never), sink);
      return { text: decode(chunks), encoded: chunks.some((x) => typeof x !== 'string'), chunks: chunks.length };
    },
  },
];

export const VARIANT_NAMES: readonly Variant[] = VARIANTS.map((v) => v.name);

/** The variants that refuse async values (Promise, async iterable, Readable) with ERR_ASYNC_VALUE. */
/** The variants run again at each extra chunk size of a test (see VariantDef.chunkRuns). */
export const CHUNKED_VARIANTS: readonly Variant[] = VARIANTS.filter((v) => v.chunkRuns !== false).map((v) => v.name);

export const SYNC_VARIANTS: ReadonlySet<Variant> = new Set(VARIANTS.filter((v) => v.sync).map((v) => v.name));

// ---- running ------------------------------------------------------------------------------

export interface VariantFlags {
  /**
   * true: the value holds async things; the sync variants are skipped.
   * false: it does not; ERR_ASYNC_VALUE from a sync variant is a failure like any other.
   * absent (default): if a sync variant raises ERR_ASYNC_VALUE, the sync variants are skipped.
   */
  async?: boolean;
  /** Only these variants (default: all). */
  only?: readonly Variant[];
  /** Not these. */
  except?: readonly Variant[];
  /** Called with every chunk a variant produced, as the variant produced it (string or Buffer). */
  onChunk?: (variant: Variant, chunk: string | Buffer) => void;
  /** Called for each variant that does not apply, with the reason. */
  onSkip?: (variant: Variant, reason: string) => void;
  /** The expected text, when known: encodeTokens re-encodes it. */
  oracle?: string;
  /**
   * dumpLines: true, the value is a records source whose elements are each a record on their
   * own (no undefined…); false, it is not; absent, decided by looking at a fresh value.
   */
  lines?: boolean;
}

function isAsyncValueError(e: unknown): boolean {
  return e instanceof JSONDumpError && e.code === 'ERR_ASYNC_VALUE';
}

function factoryOf(value: unknown): () => unknown {
  return typeof value === 'function' ? (value as () => unknown) : () => value;
}

async function runVariant(def: VariantDef, ctx: RunContext): Promise<Settled> {
  try {
    return { ok: true, ...(await def.run(ctx)) };
  } catch (error) {
    if (error instanceof VariantFailure) return { ok: false, error: error.error, problems: error.problems };
    return { ok: false, error };
  }
}

/**
 * Every applicable variant's outcome, without throwing. Sync variants are skipped (absent from
 * the result) for async values, see `VariantFlags.async`.
 */
export async function allVariantsSettled(
  value: unknown,
  options?: Options,
  flags: VariantFlags = {},
): Promise<Record<Variant, Settled>> {
  const make = factoryOf(value);
  let probed: { value: unknown } | null = null;
  const probe = (): unknown => (probed ??= { value: make() }).value;
  try {
    return await runAll(make, probe, options, flags);
  } finally {
    if (probed !== null) discard((probed as { value: unknown }).value);
  }
}

async function runAll(
  make: () => unknown,
  probe: () => unknown,
  options: Options | undefined,
  flags: VariantFlags,
): Promise<Record<Variant, Settled>> {
  const out: Record<Variant, Settled> = {};
  let skipSync = flags.async === true;
  for (const def of VARIANTS) {
    if (flags.only !== undefined && !flags.only.includes(def.name)) continue;
    if (flags.except?.includes(def.name)) continue;
    if (skipSync && def.sync) continue;
    const ctx: RunContext = { make, probe, options, onChunk: (c) => flags.onChunk?.(def.name, c), oracle: flags.oracle, lines: flags.lines };
    const reason = def.skip?.(ctx) ?? null;
    if (reason !== null) {
      flags.onSkip?.(def.name, reason);
      continue;
    }
    const r = await runVariant(def, ctx);
    if (!r.ok && flags.async === undefined && def.sync && isAsyncValueError(r.error)) {
      skipSync = true;
      for (const name of Object.keys(out)) if (SYNC_VARIANTS.has(name)) delete out[name];
      continue;
    }
    out[def.name] = r;
  }
  return out;
}

/**
 * Every variant's text. If a variant fails, its original error is rethrown (with a
 * non-enumerable `variant` property naming the variant); a broken invariant is an Error.
 */
export async function allVariants(value: unknown, options?: Options, flags: VariantFlags = {}): Promise<Record<Variant, string>> {
  const settled = await allVariantsSettled(value, options, flags);
  const out: Record<string, string> = {};
  for (const [name, r] of Object.entries(settled) as [Variant, Settled][]) {
    if (!r.ok) {
      if (r.error !== null && typeof r.error === 'object') {
        try {
          Object.defineProperty(r.error, 'variant', { value: name, enumerable: false, configurable: true });
        } catch {
          // frozen error object: rethrow it as it is
        }
      }
      throw r.error;
    }
    if (r.problems?.length) throw new Error(`${name}: ${r.problems.join('; ')}`);
    if (r.text !== null) out[name] = r.text;
  }
  return out;
}

// ---- expecting ----------------------------------------------------------------------------

/**
 * What every variant must do: write this text, raise this JSONDumpError (at this path; any path
 * when it is absent), or let this exact error through.
 */
export type Expected = string | { code: string; path?: string } | { throws: unknown };

/** A short description of a failure, for assertion messages. */
export function describeError(e: unknown): string {
  if (e instanceof JSONDumpError) return `JSONDumpError ${e.code} at ${e.path}`;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `thrown ${String(e)}`;
}

/** An outcome as one comparable string: the text, `#bytes N` (stats only), `!CODE PATH`, `!same error`, `!throw …`. */
function outcomeText(r: Settled, expected: Expected): string {
  if (r.ok) return r.text === null ? `#bytes ${r.stats?.bytes}` : r.text;
  if (typeof expected === 'object' && 'throws' in expected && r.error === expected.throws) return '!same error';
  if (r.error instanceof JSONDumpError) {
    return typeof expected === 'object' && 'code' in expected && expected.path === undefined ? `!${r.error.code}` : `!${r.error.code} ${r.error.path}`;
  }
  return `!throw ${describeError(r.error)}`;
}

function expectedText(expected: Expected, r: Settled): string {
  if (typeof expected === 'string') {
    if (r.ok && r.text === null) return `#bytes ${Buffer.byteLength(expected)}`;
    return r.ok && r.encoded ? throughUTF8(expected) : expected;
  }
  if ('throws' in expected) return '!same error';
  return expected.path === undefined ? `!${expected.code}` : `!${expected.code} ${expected.path}`;
}

/** Problems beyond the text: the variant's own checks, stats.bytes against what was written. */
function sideProblems(name: string, r: Settled): string[] {
  const out = (r.problems ?? []).map((p) => `${name}: ${p}`);
  if (r.ok && r.stats !== undefined) {
    const written = r.written ?? r.text;
    if (written !== null && r.stats.bytes !== Buffer.byteLength(written)) {
      out.push(`${name}: stats.bytes ${r.stats.bytes}, wrote ${Buffer.byteLength(written)} bytes`);
    }
  }
  return out;
}

/** Longer expected texts are run at the options' chunk size only. */
export const MAX_TEXT_FOR_CHUNK_RUNS = 20_000;

export interface ExpectFlags extends VariantFlags {
  /**
   * The stats the variants return: they agree (default); 'count': they also count the values
   * of the text written (for values without rawJSON, whose fragment counts as one); false: not
   * checked.
   */
  stats?: boolean | 'count';
  /** The sync variants' expectation, when it differs (a value holding async things: ERR_ASYNC_VALUE). */
  sync?: Expected;
  /**
   * chunkSize values to run the chunked variants at, besides the options' own (default [3], or
   * none when the options set a chunkSize; none for an expected text longer than
   * MAX_TEXT_FOR_CHUNK_RUNS).
   */
  chunkSizes?: readonly number[];
}

/**
 * The variants that return stats must agree on them: the same values and items for every one,
 * and for dumpLines the same items (its lines) and one value fewer (no enclosing array).
 */
export function statsDisagreement(settled: Record<Variant, Settled>, suffix: string): string[] {
  const stats = Object.entries(settled).flatMap(([name, r]) => (r.ok && r.stats !== undefined ? [[name, r.stats] as const] : []));
  const reference = stats.find(([name]) => name !== 'dumpLines');
  if (reference === undefined) return [];
  const [refName, ref] = reference;
  const out: string[] = [];
  for (const [name, st] of stats) {
    const want = name === 'dumpLines' ? { values: ref.values - 1, items: ref.items } : { values: ref.values, items: ref.items };
    if (st.values !== want.values || st.items !== want.items) {
      out.push(`${name + suffix}: stats values ${st.values}, items ${st.items}; ${refName} says values ${ref.values}, items ${ref.items}`);
    }
  }
  return out;
}

/**
 * The JSON values of a JSON text (scalars and containers, keys not counted), read from the text
 * itself: duplicate keys (a Map with keys 1 and "1") count twice, as they are written.
 */
export function countJSONValues(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      let k = j + 1;
      while (k < text.length && ' \t\n\r'.includes(text[k]!)) k++;
      if (text[k] !== ':') n++;
      i = j;
    } else if (c === '{' || c === '[') {
      n++;
    } else if (/[-0-9a-zA-Z]/.test(c)) {
      n++;
      while (i + 1 < text.length && /[-+.0-9a-zA-Z]/.test(text[i + 1]!)) i++;
    }
  }
  return n;
}

/** stats.values against the values of the text written, for every variant whose text is JSON. */
export function statsMiscount(settled: Record<Variant, Settled>, suffix = ''): string[] {
  const out: string[] = [];
  for (const [name, r] of Object.entries(settled)) {
    if (!r.ok || r.stats === undefined || r.text === null) continue;
    const text = r.written ?? r.text;
    const lines = name === 'dumpLines' ? text.split('\n').filter((l) => l !== '') : [text];
    if (!lines.every(isJSON)) continue;
    const count = lines.reduce((sum, l) => sum + countJSONValues(l), 0);
    if (r.stats.values !== count) out.push(`${name + suffix}: stats.values ${r.stats.values}, the text written holds ${count} values`);
  }
  return out;
}

function isJSON(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export interface Comparison {
  /** Variant label → outcome, and the expected outcome for the same labels. */
  actual: Record<string, string>;
  expected: Record<string, string>;
  /** Broken invariants. */
  problems: string[];
}

/** Runs every variant (at the options' chunk size and at each of `chunkSizes`) and lines up the outcomes with `expected`. */
export async function compareVariants(value: unknown, expected: Expected, options?: Options, flags: ExpectFlags = {}): Promise<Comparison> {
  const actual: Record<string, string> = {};
  const want: Record<string, string> = {};
  const problems: string[] = [];
  const oracle = flags.oracle ?? (typeof expected === 'string' ? expected : undefined);
  const async = flags.sync !== undefined ? true : flags.async;
  const runs: [string, Options | undefined][] = [['', options]];
  // Small chunks of a long text cost a write per chunk in the file variants, and find nothing
  // that the same chunk size on a short text would not.
  const ownChunkSize = (options as Record<string, unknown> | undefined)?.chunkSize !== undefined;
  const long = typeof expected === 'string' && expected.length > MAX_TEXT_FOR_CHUNK_RUNS;
  for (const size of long ? [] : (flags.chunkSizes ?? (ownChunkSize ? [] : [3]))) runs.push([` chunkSize ${size}`, { ...options, chunkSize: size } as Options]);
  const paths = new Map<string, string[]>(); // error path → variants that raised there
  for (const [suffix, o] of runs) {
    const only = (flags.only ?? VARIANT_NAMES).filter((n) => suffix === '' || VARIANTS.find((d) => d.name === n)?.chunkRuns !== false);
    const split = new Set<Variant>();
    const last = new Map<Variant, string>();
    const onChunk = (variant: Variant, chunk: string | Buffer): void => {
      flags.onChunk?.(variant, chunk);
      if (typeof chunk !== 'string' || chunk.length === 0) return;
      if (endsWithHighSurrogate(last.get(variant) ?? '') && startsWithLowSurrogate(chunk)) split.add(variant);
      last.set(variant, chunk);
    };
    const settled = await allVariantsSettled(value, o, { ...flags, async, only, oracle, onChunk });
    for (const [name, r] of Object.entries(settled) as [Variant, Settled][]) {
      actual[name + suffix] = outcomeText(r, expected);
      want[name + suffix] = expectedText(expected, r);
      problems.push(...sideProblems(name + suffix, r));
      if (split.has(name)) problems.push(`${name + suffix}: a chunk boundary splits a surrogate pair`);
      if (!r.ok && r.error instanceof JSONDumpError) paths.set(r.error.path, [...(paths.get(r.error.path) ?? []), name + suffix]);
    }
    if (flags.stats !== false) problems.push(...statsDisagreement(settled, suffix));
    if (flags.stats === 'count') problems.push(...statsMiscount(settled, suffix));
    if (flags.sync !== undefined) {
      const syncOnly = only.filter((n) => SYNC_VARIANTS.has(n));
      const syncSettled = await allVariantsSettled(value, o, { ...flags, async: false, only: syncOnly, oracle });
      for (const [name, r] of Object.entries(syncSettled) as [Variant, Settled][]) {
        actual[name + suffix] = outcomeText(r, flags.sync);
        want[name + suffix] = expectedText(flags.sync, r);
        problems.push(...sideProblems(name + suffix, r));
      }
    }
  }
  // Without an expected path, the variants must still agree on one.
  if (paths.size > 1) problems.push(`the variants raise at different paths: ${[...paths].map(([p, vs]) => `${p} (${vs.join(', ')})`).join('; ')}`);
  return { actual, expected: want, problems };
}

// ---- chunk checks -------------------------------------------------------------------------

/** True when the string ends with a high surrogate (a chunk that split a surrogate pair). */
export function endsWithHighSurrogate(s: string): boolean {
  if (s.length === 0) return false;
  const c = s.charCodeAt(s.length - 1);
  return c >= 0xd800 && c <= 0xdbff;
}

/** True when the string starts with a low surrogate. */
export function startsWithLowSurrogate(s: string): boolean {
  if (s.length === 0) return false;
  const c = s.charCodeAt(0);
  return c >= 0xdc00 && c <= 0xdfff;
}
