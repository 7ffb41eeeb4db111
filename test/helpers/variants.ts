// Runs one value + options through every output variant of the library and returns each
// variant's text. The contract (API.md) says all of them are identical to `dumps(v, o)`; the
// shared case table (cases.ts) and the property tests use this to check it for every value.
//
// A value that is consumed when it is serialized (generator, stream, async iterable) must be
// given as a factory: a function argument is ALWAYS treated as `() => value` and called once
// per variant. To serialize a function itself, pass `() => theFunction`.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import {
  createStringifyStream,
  dump,
  dumps,
  dumpSync,
  JSONDumpError,
  stringifyChunks,
  stringifyChunksSync,
} from '../../src/index.js';

export type Options = NonNullable<Parameters<typeof dumps>[1]>;
export type DumpOpts = NonNullable<Parameters<typeof dump>[2]>;

/** The variant names, in the order they are run. The first three never touch the file system. */
export const VARIANTS = [
  'dumps',
  'stringifyChunksSync',
  'stringifyChunks',
  'createStringifyStream',
  'dump:path',
  'dump:writable',
  'dumpSync:path',
] as const;
export type Variant = (typeof VARIANTS)[number];

/** The variants that refuse async values (Promise, async iterable, Readable) with ERR_ASYNC_VALUE. */
export const SYNC_VARIANTS: ReadonlySet<Variant> = new Set<Variant>(['dumps', 'stringifyChunksSync', 'dumpSync:path']);

export interface VariantFlags {
  /**
   * true: the value holds async things; the sync variants are skipped.
   * false: it does not; ERR_ASYNC_VALUE from a sync variant is a failure like any other.
   * absent (default): run `dumps` first; if it raises ERR_ASYNC_VALUE, skip the sync variants.
   */
  async?: boolean;
  /** Only these variants (default: all). */
  only?: readonly Variant[];
  /** Called with every chunk a variant produced, as the variant produced it (string or Buffer). */
  onChunk?: (variant: Variant, chunk: string | Buffer) => void;
}

export type Settled =
  | { ok: true; text: string; bytes?: number; chunks?: number }
  | { ok: false; error: unknown };

let dir: string | null = null;
let counter = 0;

function tempPath(): string {
  if (dir === null) {
    dir = mkdtempSync(join(tmpdir(), 'jsondump-variants-'));
    const d = dir;
    process.once('exit', () => rmSync(d, { recursive: true, force: true }));
  }
  return join(dir, `out-${process.pid}-${++counter}.json`);
}

function isAsyncValueError(e: unknown): boolean {
  return e instanceof JSONDumpError && e.code === 'ERR_ASYNC_VALUE';
}

function decode(chunks: (string | Buffer | Uint8Array)[]): string {
  if (chunks.every((c) => typeof c === 'string')) return (chunks as string[]).join('');
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c)))).toString('utf8');
}

async function collectReadable(r: Readable, onChunk: (c: string | Buffer) => void): Promise<string> {
  const chunks: (string | Buffer)[] = [];
  for await (const c of r) {
    chunks.push(c as string | Buffer);
    onChunk(c as string | Buffer);
  }
  return decode(chunks);
}

function readBack(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } finally {
    rmSync(path, { force: true });
  }
}

async function runOne(
  variant: Variant,
  make: () => unknown,
  options: Options | undefined,
  onChunk: (c: string | Buffer) => void,
): Promise<Settled> {
  try {
    switch (variant) {
      case 'dumps': {
        const text = dumps(make(), options);
        onChunk(text);
        return { ok: true, text };
      }
      case 'stringifyChunksSync': {
        const parts: string[] = [];
        for (const c of stringifyChunksSync(make(), options)) {
          parts.push(c);
          onChunk(c);
        }
        return { ok: true, text: parts.join(''), chunks: parts.length };
      }
      case 'stringifyChunks': {
        const parts: string[] = [];
        for await (const c of stringifyChunks(make(), options)) {
          parts.push(c);
          onChunk(c);
        }
        return { ok: true, text: parts.join(''), chunks: parts.length };
      }
      case 'createStringifyStream':
        return { ok: true, text: await collectReadable(createStringifyStream(make(), options), onChunk) };
      case 'dump:path': {
        const path = tempPath();
        const stats = await dump(make(), path, options);
        const text = readBack(path);
        return { ok: true, text, bytes: stats.bytes };
      }
      case 'dump:writable': {
        const chunks: (string | Buffer)[] = [];
        const sink = new Writable({
          decodeStrings: false,
          write(chunk: string | Buffer, _enc, cb) {
            chunks.push(chunk);
            onChunk(chunk);
            cb();
          },
        });
        const stats = await dump(make(), sink, options);
        return { ok: true, text: decode(chunks), bytes: stats.bytes };
      }
      case 'dumpSync:path': {
        const path = tempPath();
        const stats = dumpSync(make(), path, options);
        const text = readBack(path);
        return { ok: true, text, bytes: stats.bytes };
      }
    }
  } catch (error) {
    return { ok: false, error };
  }
}

function factoryOf(value: unknown): () => unknown {
  return typeof value === 'function' ? (value as () => unknown) : () => value;
}

/**
 * Every variant's outcome, without throwing. Sync variants are skipped (absent from the result)
 * for async values, see `VariantFlags.async`.
 */
export async function allVariantsSettled(
  value: unknown,
  options?: Options,
  flags: VariantFlags = {},
): Promise<Partial<Record<Variant, Settled>>> {
  const make = factoryOf(value);
  const out: Partial<Record<Variant, Settled>> = {};
  let skipSync = flags.async === true;
  for (const variant of flags.only ?? VARIANTS) {
    if (skipSync && SYNC_VARIANTS.has(variant)) continue;
    const r = await runOne(variant, make, options, (c) => flags.onChunk?.(variant, c));
    if (!r.ok && flags.async === undefined && SYNC_VARIANTS.has(variant) && isAsyncValueError(r.error)) {
      skipSync = true;
      continue;
    }
    out[variant] = r;
  }
  return out;
}

/**
 * Every variant's text. If a variant fails, its original error is rethrown (with a
 * non-enumerable `variant` property naming the variant).
 */
export async function allVariants(value: unknown, options?: Options, flags: VariantFlags = {}): Promise<Record<string, string>> {
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
    out[name] = r.text;
  }
  return out;
}

/** A short description of a failure, for assertion messages. */
export function describeError(e: unknown): string {
  if (e instanceof JSONDumpError) return `JSONDumpError ${e.code} at ${e.path}`;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `thrown ${String(e)}`;
}

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
