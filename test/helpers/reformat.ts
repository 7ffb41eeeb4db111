// Runs JSON text through every way the library re-encodes it, and computes what the output must
// be from oracles nobody here wrote: JSON.stringify(JSON.parse(text)) and CPython's
// json.dumps(json.loads(text)), with each number's source text put back in place.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createReformatStream, reformat, type ReformatOptions } from '../../src/index.js';
import { collector } from './io.js';

export const REFORMAT_VARIANTS = ['bytes', 'path', 'chunks', 'stream'] as const;
export type ReformatVariant = (typeof REFORMAT_VARIANTS)[number];

export type Outcome = { ok: true; text: string; bytes: Buffer } | { ok: false; error: unknown };

/** A small seeded generator (mulberry32): chunk boundaries that differ per case, yet repeat. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `bytes` cut at random places (every place for short inputs: chunks of 1 to 3 bytes). */
export function splitRandomly(bytes: Uint8Array, seed: number): Buffer[] {
  const random = seeded(seed);
  const max = bytes.length < 64 ? 3 : Math.max(2, bytes.length >> 3);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(random() * max);
    chunks.push(Buffer.from(bytes.subarray(i, i + n)));
    i += n;
  }
  return chunks;
}

async function runVariant(variant: ReformatVariant, input: Uint8Array, options: ReformatOptions, seed: number): Promise<Buffer> {
  switch (variant) {
    case 'bytes': {
      const out = collector();
      await reformat(input, out.w, options);
      return out.bytes();
    }
    case 'path': {
      // a directory per call, removed here: a worker's 'exit' never comes when vitest ends it
      const dir = mkdtempSync(join(tmpdir(), 'jsondump-reformat-'));
      const from = join(dir, 'from.json');
      const to = join(dir, 'to.json');
      writeFileSync(from, input);
      try {
        await reformat(from, to, options);
        return readFileSync(to);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    case 'chunks': {
      const out = collector();
      const chunks = splitRandomly(input, seed);
      await reformat((async function* () {
        yield* chunks;
      })(), out.w, options);
      return out.bytes();
    }
    case 'stream': {
      const out = collector();
      await pipeline(Readable.from(splitRandomly(input, seed + 1)), createReformatStream(options), out.w);
      return out.bytes();
    }
  }
}

/** The outcome of every variant (chunk boundaries from `seed`). */
export async function reformatEverywhere(input: Uint8Array | string, options: ReformatOptions = {}, seed = 1): Promise<Record<ReformatVariant, Outcome>> {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const out = {} as Record<ReformatVariant, Outcome>;
  for (const variant of REFORMAT_VARIANTS) {
    try {
      const result = await runVariant(variant, bytes, options, seed);
      out[variant] = { ok: true, text: result.toString('utf8'), bytes: result };
    } catch (error) {
      out[variant] = { ok: false, error };
    }
  }
  return out;
}

/** The text every variant wrote; throws the first variant's error, or when two variants differ. */
export async function reformatText(input: Uint8Array | string, options: ReformatOptions = {}, seed = 1): Promise<string> {
  const outcomes = await reformatEverywhere(input, options, seed);
  const first = outcomes.bytes;
  if (!first.ok) throw first.error;
  for (const variant of REFORMAT_VARIANTS) {
    const o = outcomes[variant];
    if (!o.ok) throw Object.assign(o.error as Error, { variant });
    if (o.text !== first.text) throw new Error(`variant ${variant} wrote ${JSON.stringify(o.text)}, bytes wrote ${JSON.stringify(first.text)}`);
  }
  return first.text;
}

// ------------------------------------------------------------------ oracles

// Strings and numbers of valid JSON text, in document order (only ever run on text JSON.parse accepted).
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

function numberTexts(text: string): string[] {
  return [...text.matchAll(TOKENS)].map((m) => m[0]).filter((t) => t.charCodeAt(0) !== 0x22);
}

const PLACEHOLDER = '\u0000#';
const PLACED = /"\\u0000#(\d+)"/g;

/**
 * JSON.stringify(JSON.parse(text), null, indent) with each number written as its source text.
 * Only for text without duplicate keys or integer-like keys ("1"), which JSON.parse merges or
 * moves ahead of the others (see `jsKeepsMembers`).
 */
export function stringifyOracle(text: string, indent?: number | string): string {
  if (text.includes(PLACEHOLDER) || text.includes('\\u0000#')) throw new Error('the oracle placeholder occurs in the text');
  const numbers = numberTexts(text);
  let n = 0;
  const value = JSON.parse(text, (_key, v: unknown) => (typeof v === 'number' ? PLACEHOLDER + n++ : v));
  if (n !== numbers.length) throw new Error(`${numbers.length} number tokens, ${n} numbers parsed`);
  return JSON.stringify(value, null, indent).replace(PLACED, (_, i: string) => numbers[Number(i)]);
}

/**
 * For each text: false when JSON.parse would merge members (a duplicate key) or move them (an
 * integer-like key such as "1" goes before the others), so that JSON.stringify(JSON.parse(text))
 * cannot show the input's order. Python's json.loads shows every member, in order.
 */
export function jsKeepsMembers(texts: readonly string[]): boolean[] {
  return JSON.parse(python(MEMBERS_SCRIPT, JSON.stringify(texts))) as boolean[];
}

/** Post-passes that add the escapes JSON.stringify does not make (exact on JSON text: these characters only occur in strings). */
export function escapeNonAscii(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
export function escapeHTMLChars(json: string): string {
  return json.replace(/[<>&]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
export function escapeLineTerminatorChars(json: string): string {
  return json.replace(/[\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16));
}

export interface PythonDumpsArgs {
  indent?: number | string | null;
  separators?: [string, string] | null;
  ensure_ascii?: boolean;
}

export type PythonResult = { ok: string } | { err: string };

function python(script: string, input: string): string {
  const r = spawnSync('python3', ['-c', script], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`python3 exited with ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const MEMBERS_SCRIPT = String.raw`
import json, re, sys
index = re.compile(r'(0|[1-9][0-9]*)$')
def keeps(text):
    ok = [True]
    def pairs(p):
        keys = [k for k, _ in p]
        if len(set(keys)) < len(keys) or any(index.match(k) and int(k) < 2**32 - 1 for k in keys):
            ok[0] = False
        return dict(p)
    json.loads(text, object_pairs_hook=pairs)
    return ok[0]
sys.stdout.write(json.dumps([keeps(t) for t in json.loads(sys.stdin.read())]))
`;

// json.loads keeps every member in order (a dict whose items() are the pairs as read, which
// json.dumps iterates), and hands each number's text to parse_int/parse_float: the text goes
// out in a placeholder string that is replaced by the text itself.
const DUMPS_SCRIPT = String.raw`
import base64, json, re, sys
class Pairs(dict):
    def __init__(self, pairs):
        super().__init__(pairs)
        self._pairs = pairs
    def items(self):
        return self._pairs
placeholder = lambda s: '\x00#' + s + '\x00'
placed = re.compile(r'"\\u0000#([^\\"]*)\\u0000"')
out = []
for case in json.loads(sys.stdin.read()):
    kw = dict(case['kwargs'])
    if kw.get('separators') is not None:
        kw['separators'] = tuple(kw['separators'])
    try:
        text = base64.b64decode(case['text']).decode('utf-8')
        value = json.loads(text, object_pairs_hook=Pairs, parse_int=placeholder, parse_float=placeholder)
        dumped = placed.sub(lambda m: m.group(1), json.dumps(value, **kw))
        # lone surrogates come out as \udXXX, as jsondump writes them
        out.append({'ok': base64.b64encode(dumped.encode('utf-8', 'backslashreplace')).decode()})
    except Exception as e:
        out.append({'err': type(e).__name__ + ': ' + str(e)})
sys.stdout.write(json.dumps(out))
`;

/**
 * CPython's json.dumps(json.loads(text), **args) for each case, in one python3 process: members
 * in input order with duplicates kept, numbers as their source text.
 */
export function pythonOracle(cases: readonly { text: Uint8Array | string; args: PythonDumpsArgs }[]): PythonResult[] {
  const input = JSON.stringify(cases.map((c) => ({ text: Buffer.from(c.text).toString('base64'), kwargs: c.args })));
  const results = JSON.parse(python(DUMPS_SCRIPT, input)) as ({ ok: string } | { err: string })[];
  return results.map((r) => ('ok' in r ? { ok: Buffer.from(r.ok, 'base64').toString('utf8') } : r));
}
