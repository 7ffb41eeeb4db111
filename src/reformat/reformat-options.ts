import { badOption } from '../errors.js';
import { resolveOptions, type DumpOptions, type Resolved } from '../options.js';
import type { InputFormat, RecordOutput, ReformatFormat } from './format.js';
import type { InvalidUtf8 } from './utf8-chunks.js';

/** Options of `reformat` and `createReformatStream`. */
export interface ReformatOptions extends Pick<DumpOptions, 'indent' | 'separators' | 'ensureAscii' | 'dialect' | 'chunkSize' | 'signal' | 'onProgress' | 'end' | 'atomic'> {
  /** The input: one JSON document (default), or JSON Lines, which is written as an array (or as lines with `lines`). */
  from?: InputFormat;
  /** Write the elements of a top-level array (or the records of JSON Lines input) each compact on its own line. */
  lines?: boolean;
  /** Write `<`, `>` and `&` in strings and keys as `\u003c`, `\u003e`, `\u0026`. */
  escapeHTML?: boolean;
  /** Write U+2028 and U+2029 as `\u2028` and `\u2029`. */
  escapeLineTerminators?: boolean;
  /** Input bytes that are not UTF-8: `'error'` fails with ERR_INVALID_UTF8 and the byte offset, `'replace'` writes U+FFFD. */
  invalidUTF8?: InvalidUtf8;
  /** Refused: sorting needs whole objects in memory, which a streaming re-encoder never holds. */
  sortKeys?: false;
}

/** Options checked, with the dialect's defaults filled in. */
export interface ResolvedReformat {
  format: ReformatFormat;
  invalidUTF8: InvalidUtf8;
  base: Resolved;
}

// DumpOptions that say how to turn values into JSON: a re-encoder has JSON already.
const VALUE_OPTIONS = ['replacer', 'skipKeys', 'allowNaN', 'checkCircular', 'default', 'circular', 'bigint'];
// DumpOptions the re-encoder does not do: refused, never accepted and then ignored.
const UNSUPPORTED = ['maxDepth', 'maxBytes', 'canonical'];

function flag(options: Record<string, unknown>, name: string): boolean {
  const v = options[name];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw badOption(`option ${name} must be a boolean, got ${typeof v}`);
  return v;
}

function choice<T extends string>(options: Record<string, unknown>, name: string, values: readonly T[]): T {
  const v = options[name];
  if (v === undefined) return values[0];
  if (!values.includes(v as T)) throw badOption(`option ${name} must be ${values.map((x) => `'${x}'`).join(' or ')}`);
  return v as T;
}

/**
 * Checks the options of a re-encoding and resolves its format. `output` is the records layout a
 * caller wants (the CLI's records mode); by default it follows `lines`.
 */
export function resolveReformatOptions(options: ReformatOptions | undefined | null, output?: RecordOutput): ResolvedReformat {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw badOption('options must be an object');
  const { from, lines, escapeHTML, escapeLineTerminators, invalidUTF8, ...rest } = options as Record<string, unknown>;
  const own = { from, lines, escapeHTML, escapeLineTerminators, invalidUTF8 };
  for (const name of VALUE_OPTIONS) {
    if (rest[name] !== undefined) throw badOption(`option ${name} cannot be used when re-encoding JSON text (it applies to values)`);
  }
  for (const name of UNSUPPORTED) {
    if (rest[name] !== undefined) throw badOption(`option ${name} is not supported when re-encoding JSON text`);
  }
  const base = resolveOptions(rest as DumpOptions);
  if (base.sortKeys) throw badOption('option sortKeys cannot be used when re-encoding JSON text: sorting needs whole objects in memory');
  const asLines = flag(own, 'lines');
  if (asLines && base.indent !== null) throw badOption('option indent cannot be used with lines (each line is compact)');
  if (asLines && /[\n\r]/.test(base.itemSep + base.keySep)) throw badOption('separators cannot contain line breaks with lines');
  return {
    format: {
      input: choice(own, 'from', ['json', 'jsonl'] as const),
      output: output ?? (asLines ? 'lines' : 'document'),
      indent: base.indent,
      itemSep: base.itemSep,
      keySep: base.keySep,
      ensureAscii: base.ensureAscii,
      escapeHTML: flag(own, 'escapeHTML'),
      escapeLineTerminators: flag(own, 'escapeLineTerminators'),
    },
    invalidUTF8: choice(own, 'invalidUTF8', ['error', 'replace'] as const),
    base,
  };
}
