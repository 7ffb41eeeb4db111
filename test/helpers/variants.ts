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
// Writable keeps the listeners it had; an fd or FileHandle is left open for its owner
// (variant-io.ts). Which values dumpLines and encodeTokens apply to: variant-probes.ts. Lining
// the outcomes up with an expected text or error: compare-variants.ts (expect-variants.ts for
// vitest).
//
// A value that is consumed when it is serialized (generator, stream, async iterable) must be
// given as a factory: a function argument is ALWAYS treated as `() => value` and called once
// per variant run. To serialize a function itself, pass `() => theFunction`.

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
  stringifyChunks,
  stringifyChunksSync,
} from '../../src/index.js';
import type { DumpStats } from '../../src/index.js';
import { atFd, atFileHandle, atPath, collectReadable, decode, throughUTF8, toWritable, VariantFailure } from './variant-io.js';
import { discard, handleRejections, linesSkip, pieces, tokensSource } from './variant-probes.js';

export { throughUTF8 } from './variant-io.js';
export { isPlainJSON } from './variant-probes.js';

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

// ---- the table ----------------------------------------------------------------------------

/**
 * The token streams stream-json sends, taken in turn: values both streamed in chunks and packed
 * (its default), packed only, streamed only, and a mix.
 */
let flavourTurn = 0;
const TOKEN_FLAVOURS = [{}, { packValues: false }, { streamValues: false }, { packKeys: false, streamNumbers: false }];

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
    run: (c) => atFileHandle((fh) => dump(c.make(), fh, c.options)),
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
    skip: (c) => ((c.options as { canonical?: boolean } | undefined)?.canonical === true ? 'canonical (encodeTokens refuses it: it needs whole objects)' : tokensSource(c) === null ? 'no JSON text to tokenize' : null),
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
      const flavour = TOKEN_FLAVOURS[++flavourTurn % TOKEN_FLAVOURS.length];
      await pipeline(Readable.from(pieces(source, 7)), parser.asStream(flavour), encodeTokens(rest as never), sink);
      return { text: decode(chunks), encoded: chunks.some((x) => typeof x !== 'string'), chunks: chunks.length };
    },
  },
];

export const VARIANT_NAMES: readonly Variant[] = VARIANTS.map((v) => v.name);

/** The variants run again at each extra chunk size of a test (see VariantDef.chunkRuns). */
export const CHUNKED_VARIANTS: readonly Variant[] = VARIANTS.filter((v) => v.chunkRuns !== false).map((v) => v.name);

/** The variants that refuse async values (Promise, async iterable, Readable) with ERR_ASYNC_VALUE. */
export const SYNC_VARIANTS: ReadonlySet<Variant> = new Set(VARIANTS.filter((v) => v.sync).map((v) => v.name));

/** The variants that write async values. */
export const ASYNC_VARIANTS: readonly Variant[] = VARIANT_NAMES.filter((v) => !SYNC_VARIANTS.has(v));

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
/** `v`, its promises' rejections handled at once (a probe's value is looked at, never dumped). */
function handled(v: unknown): unknown {
  handleRejections(v);
  return v;
}

export async function allVariantsSettled(
  value: unknown,
  options?: Options,
  flags: VariantFlags = {},
): Promise<Record<Variant, Settled>> {
  const make = factoryOf(value);
  let probed: { value: unknown } | null = null;
  const probe = (): unknown => (probed ??= { value: handled(make()) }).value;
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

// for the files that import it from here with the variants
export { describeError } from './describe-error.js';

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
