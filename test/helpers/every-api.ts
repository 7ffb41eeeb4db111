// A value and options through the shared variants table (variants.ts), and through the APIs it
// does not run yet: createStringifyWebStream (its bytes) and measure/measureSync (their stats
// against the expected text's length). Every one must write `expected`, or raise the same
// JSONDumpError code at the same path. dumpLines is checked by the behaviour tests themselves,
// since its text is not dumps' text.
import { expect } from 'vitest';
import { createStringifyWebStream, JSONDumpError, measure, measureSync } from '../../src/index.js';
import { allVariantsSettled, type Options, type VariantFlags } from './variants.js';

export type Expected = string | { code: string; path: string };

type Outcome = string | { code: string; path: string } | { foreign: string };

function outcome(r: { ok: true; text: string | null } | { ok: false; error: unknown }): Outcome {
  if (r.ok) return r.text ?? '';
  const e = r.error;
  if (e instanceof JSONDumpError) return { code: e.code, path: e.path };
  return { foreign: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

async function settle<T>(f: () => Promise<T> | T): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}

async function webStreamText(value: unknown, options: Options | undefined): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of createStringifyWebStream(value, options)) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

/**
 * What every API gives for `value` (a factory when it is consumed: see variants.ts), keyed by
 * API; measure's entries are the expected text when its byte count matches it.
 */
export async function everyApi(value: unknown, options?: Options, flags: VariantFlags = {}): Promise<Record<string, Outcome>> {
  const make = typeof value === 'function' ? (value as () => unknown) : () => value;
  const out: Record<string, Outcome> = {};
  for (const [name, r] of Object.entries(await allVariantsSettled(make, options, flags))) {
    if (r !== undefined) out[name] = outcome(r as never);
  }
  const web = await settle(() => webStreamText(make(), options));
  out.createStringifyWebStream = outcome(web.ok ? { ok: true, text: web.value } : web);
  // measure reports what dump would write: compared as a length, reported as the text it stands for.
  const reference = typeof out.dumps === 'string' ? out.dumps : typeof out.stringifyChunks === 'string' ? out.stringifyChunks : null;
  const asText = (bytes: number): string => (reference !== null && Buffer.byteLength(reference) === bytes ? reference : `<${bytes} bytes>`);
  const m = await settle(() => measure(make(), options));
  out.measure = outcome(m.ok ? { ok: true, text: asText(m.value.bytes) } : m);
  if ('dumps' in out) {
    const ms = await settle(() => measureSync(make(), options));
    out.measureSync = outcome(ms.ok ? { ok: true, text: asText(ms.value.bytes) } : ms);
  }
  return out;
}

/** Every API writes `expected`, or raises its JSONDumpError code at its path. */
export async function expectEveryApi(value: unknown, expected: Expected, options?: Options, flags?: VariantFlags): Promise<void> {
  const actual = await everyApi(value, options, flags);
  const want = Object.fromEntries(Object.keys(actual).map((k) => [k, expected]));
  expect(actual).toEqual(want);
  // At least the four that need no file system, whatever was skipped.
  expect(Object.keys(actual)).toEqual(expect.arrayContaining(['stringifyChunks', 'createStringifyStream', 'createStringifyWebStream', 'measure']));
}
