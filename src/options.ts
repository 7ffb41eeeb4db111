import { constants } from 'node:buffer';
import { badOption } from './errors.js';

export type Replacer = (this: unknown, key: string, value: unknown) => unknown;

/**
 * Called where a cycle closes: `path` is where the repeated object was met (`$.a.self`),
 * `targetPath` the path of the ancestor it repeats (`$.a`); the result is written in its place.
 */
export type CircularReplacer = (path: string, value: object, targetPath: string) => unknown;

/** What a cycle becomes: an error, `null`, nothing (as `undefined`), or the function's result. */
export type CircularPolicy = 'error' | 'null' | 'omit' | CircularReplacer;

/** Progress reported after each chunk is written. */
export interface DumpProgress {
  /** UTF-8 bytes written so far. */
  bytes: number;
  /** JSON values written so far, at every depth. */
  values: number;
  /** Top-level elements (records) written so far; lines for dumpLines. */
  items: number;
}

/** What a dump wrote. */
export interface DumpStats extends DumpProgress {}

/** Options shared by every function; see the README's options table. */
export interface StringifyOptions {
  /** As JSON.stringify's second argument: a function, or an allow-list of keys. */
  replacer?: Replacer | readonly (string | number)[] | null;
  /** Python semantics: n spaces per level (0 or less: newlines only), or a string per level. */
  indent?: number | string | null;
  /** `[itemSeparator, keySeparator]`; the dialect's by default. */
  separators?: readonly [string, string];
  /** Emit object and Map members sorted by key. */
  sortKeys?: boolean;
  /** Skip Map keys that are not string, number, boolean, null or bigint. */
  skipKeys?: boolean;
  /** Escape every non-ASCII character (and DEL) as \uXXXX. */
  ensureAscii?: boolean;
  /** true: write NaN/Infinity literals; false: raise ERR_NON_FINITE; absent: the dialect's. */
  allowNaN?: boolean;
  /** Detect cycles (ERR_CIRCULAR). */
  checkCircular?: boolean;
  /** Called for values the dialect cannot represent; its result is written in their place. */
  default?: (value: unknown) => unknown;
  /** 'js' (JSON.stringify) or 'python' (CPython's json.dumps). */
  dialect?: 'js' | 'python';
  /** Target size of each chunk, in characters. */
  chunkSize?: number;
  /** Aborting stops the walk and rejects with ERR_ABORTED. */
  signal?: AbortSignal;
  /** Called at most once per chunk. */
  onProgress?: (progress: DumpProgress) => void;
  /** Output longer than this many UTF-8 bytes fails with ERR_LIMIT, before anything past it is written. */
  maxBytes?: number;
  /** What a cycle becomes: 'error' (ERR_CIRCULAR), 'null', 'omit', or `(path, value, targetPath) => replacement`. */
  circular?: CircularPolicy;
  /** A value deeper than this (the root value is depth 0) fails with ERR_LIMIT, before any of it is written. */
  maxDepth?: number;
  /** Write <, > and & as \u003c, \u003e, \u0026 (JSON safe inside an HTML <script>). */
  escapeHTML?: boolean;
  /** Write U+2028 and U+2029 as \u2028, \u2029 (JSON safe inside pre-ES2019 JavaScript). */
  escapeLineTerminators?: boolean;
  /** 'number': a bigint as its digits; 'string': as a JSON string of its digits. */
  bigint?: 'number' | 'string';
  /** RFC 8785 (JCS) canonical JSON: sorted keys, no whitespace, ECMAScript numbers. */
  canonical?: boolean;
  /** Bytes of a stream in the value that are not UTF-8: fail (ERR_INVALID_UTF8) or write U+FFFD. */
  invalidUTF8?: 'error' | 'replace';
}

/** Options of `dump`, `dumpSync` and `dumpLines`. */
export interface DumpOptions extends StringifyOptions {
  /** Writable destinations: end the stream when done (default true). */
  end?: boolean;
  /** Path destinations: write a temporary file and rename it into place (default true). */
  atomic?: boolean;
}

/** How numbers that are not finite are written. */
export const enum NonFinite {
  Null,
  Literal,
  Error,
}

/** Options checked, with the dialect's defaults filled in. */
export interface Resolved {
  python: boolean;
  /** null: compact; otherwise the text of one indentation level ('' = newlines only). */
  indent: string | null;
  itemSep: string;
  keySep: string;
  sortKeys: boolean;
  skipKeys: boolean;
  ensureAscii: boolean;
  nonFinite: NonFinite;
  checkCircular: boolean;
  replacer: Replacer | null;
  allowList: string[] | null;
  default: ((value: unknown) => unknown) | null;
  chunkSize: number;
  signal: AbortSignal | null;
  onProgress: ((progress: DumpProgress) => void) | null;
  /** Infinity: no limit. */
  maxBytes: number;
  circular: CircularPolicy;
  /** Infinity: no limit. */
  maxDepth: number;
  /** How deep containers made by toJSON, the replacer, `default` or `circular` may nest; Infinity once maxDepth is given. */
  madeDepth: number;
  escapeHTML: boolean;
  escapeLineTerminators: boolean;
  /** Bigints are written as strings. */
  bigintString: boolean;
  canonical: boolean;
  invalidUTF8: 'error' | 'replace';
  end: boolean;
  atomic: boolean;
}

const KNOWN = new Set([
  'replacer', 'indent', 'separators', 'sortKeys', 'skipKeys', 'ensureAscii', 'allowNaN',
  'checkCircular', 'default', 'dialect', 'chunkSize', 'signal', 'onProgress', 'end', 'atomic',
  'maxBytes', 'circular', 'maxDepth', 'escapeHTML', 'escapeLineTerminators', 'bigint', 'canonical',
  'invalidUTF8',
]);

/** Other spellings of the options: JSON.stringify's argument names and plurals. */
const ALIASES: Record<string, string> = { space: 'indent', spaces: 'indent', separator: 'separators' };

/** Strips what other spellings change: case, and the "_" or "-" of snake_case and kebab-case. */
const bare = (name: string): string => name.replace(/[_-]/g, '').toLowerCase();
const BARE_KNOWN = new Map([...KNOWN].map((name) => [bare(name), name]));

/** The known option a name stands for: `sort_keys` → sortKeys, `space` → indent. */
function meant(name: string): string | undefined {
  return ALIASES[name] ?? BARE_KNOWN.get(bare(name));
}

function bool(options: Record<string, unknown>, name: string): boolean | undefined {
  const v = options[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw badOption(`option ${name} must be a boolean, got ${typeof v}`);
  return v;
}

function fn<T>(options: Record<string, unknown>, name: string): T | null {
  const v = options[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'function') throw badOption(`option ${name} must be a function`);
  return v as T;
}

/** A string option that takes one of `values` (the first is the default). */
function oneOf<T extends string>(options: Record<string, unknown>, name: string, values: readonly T[]): T {
  const v = options[name];
  if (v === undefined) return values[0];
  if (values.includes(v as T)) return v as T;
  throw badOption(`option ${name} must be ${values.map((x) => `'${x}'`).join(' or ')}`);
}

function resolveIndent(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v)) {
    if (v > constants.MAX_STRING_LENGTH) throw badOption(`option indent is more spaces than one string can hold (${constants.MAX_STRING_LENGTH})`);
    return v > 0 ? ' '.repeat(v) : '';
  }
  throw badOption('option indent must be an integer, a string or null');
}

function resolveSeparators(v: unknown): [string, string] | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
    return [v[0], v[1]];
  }
  throw badOption('option separators must be [itemSeparator, keySeparator], two strings');
}

/** JSON.stringify's PropertyList: strings and numbers (and their boxes) as strings, first wins. */
function allowList(list: readonly unknown[]): string[] {
  const keys = new Set<string>();
  for (const item of list) {
    if (typeof item === 'string' || typeof item === 'number') keys.add(String(item));
    else if (item instanceof String || item instanceof Number) keys.add(String(item));
  }
  return [...keys];
}

function resolveReplacer(v: unknown): Pick<Resolved, 'replacer' | 'allowList'> {
  if (v === undefined || v === null) return { replacer: null, allowList: null };
  if (typeof v === 'function') return { replacer: v as Replacer, allowList: null };
  if (Array.isArray(v)) return { replacer: null, allowList: allowList(v) };
  throw badOption('option replacer must be a function, an array of keys or null');
}

function resolveChunkSize(v: unknown): number {
  if (v === undefined) return 65536;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
  throw badOption('option chunkSize must be a positive integer');
}

function resolveMaxBytes(v: unknown): number {
  if (v === undefined || v === null) return Infinity;
  if (typeof v === 'number' && v >= 0 && (Number.isSafeInteger(v) || v === Infinity)) return v;
  throw badOption('option maxBytes must be a non-negative integer');
}

/**
 * Without maxDepth, containers made during the walk by toJSON, a replacer, `default` or a
 * `circular` function may nest this deep: such a function can make deeper values without end,
 * which JSON.stringify stops with a RangeError when its stack runs out (near 4,200 levels, 2,200
 * with a replacer, Node 20) and an explicit stack would follow until the heap runs out (a fatal
 * abort; about 3.8 million levels in a 4 GB heap with dumps). 100,000 is 25 times what
 * JSON.stringify can nest, and costs well under 100 MB and a second before the error. Depth found
 * in the value itself is not counted: a 1,000,000-deep array still serializes.
 */
export const MADE_DEPTH = 100_000;

function resolveMaxDepth(v: unknown): number {
  if (v === undefined || v === null) return Infinity;
  if (typeof v === 'number' && v >= 0 && (Number.isSafeInteger(v) || v === Infinity)) return v;
  throw badOption('option maxDepth must be a non-negative integer');
}

function resolveCircular(v: unknown, checkCircular: boolean): CircularPolicy {
  if (v === undefined || v === null) return 'error';
  if (v !== 'error' && v !== 'null' && v !== 'omit' && typeof v !== 'function') {
    throw badOption(`option circular must be 'error', 'null', 'omit' or a function`);
  }
  // Without the check no cycle is ever met: a policy for them would silently never apply.
  if (!checkCircular && v !== 'error') throw badOption('option circular needs checkCircular (cycles are not looked for with checkCircular: false)');
  return v as CircularPolicy;
}

function resolveBigint(v: unknown): boolean {
  if (v === undefined || v === null || v === 'number') return false;
  if (v === 'string') return true;
  throw badOption(`option bigint must be 'number' or 'string'`);
}

/** What canonical output (RFC 8785) fixes itself: giving any of these with it is an error. */
const NOT_WITH_CANONICAL = ['indent', 'separators', 'sortKeys', 'ensureAscii', 'escapeHTML', 'escapeLineTerminators'];

/** `r` made canonical: compact, keys sorted by code units, JSON.stringify's strings, no NaN. */
function canonicalize(r: Resolved, o: Record<string, unknown>): Resolved {
  for (const name of NOT_WITH_CANONICAL) {
    if (o[name] !== undefined && o[name] !== null) throw badOption(`option ${name} cannot be used with canonical (RFC 8785 fixes it)`);
  }
  if (r.python) throw badOption(`option canonical cannot be used with dialect 'python'`);
  if (o.allowNaN === true) throw badOption('option allowNaN: true cannot be used with canonical (RFC 8785 has no NaN or Infinity)');
  return { ...r, itemSep: ',', keySep: ':', sortKeys: true, ensureAscii: false, nonFinite: NonFinite.Error };
}

function resolveSignal(v: unknown): AbortSignal | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object' && typeof (v as AbortSignal).addEventListener === 'function' && 'aborted' in v) {
    return v as AbortSignal;
  }
  throw badOption('option signal must be an AbortSignal');
}

/** Checks `options` and fills in the dialect's defaults; throws ERR_BAD_OPTION. */
export function resolveOptions(options: DumpOptions | undefined | null): Resolved {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw badOption('options must be an object');
  const o = options as Record<string, unknown>;
  for (const name of Object.keys(o)) {
    if (KNOWN.has(name)) continue;
    const known = meant(name);
    const hint = known === undefined ? '' : ` (did you mean ${known}?)`;
    throw badOption(`unknown option ${name}${hint}`);
  }
  const dialect = o.dialect ?? 'js';
  if (dialect !== 'js' && dialect !== 'python') throw badOption(`option dialect must be 'js' or 'python'`);
  const python = dialect === 'python';
  const indent = resolveIndent(o.indent);
  const separators = resolveSeparators(o.separators) ?? (indent === null && python ? [', ', ': '] : indent === null ? [',', ':'] : [',', ': ']);
  const allowNaN = bool(o, 'allowNaN');
  const checkCircular = bool(o, 'checkCircular') ?? true;
  const r: Resolved = {
    python,
    indent,
    itemSep: separators[0],
    keySep: separators[1],
    sortKeys: bool(o, 'sortKeys') ?? false,
    skipKeys: bool(o, 'skipKeys') ?? false,
    ensureAscii: bool(o, 'ensureAscii') ?? python,
    nonFinite: allowNaN === false ? NonFinite.Error : allowNaN === true || python ? NonFinite.Literal : NonFinite.Null,
    checkCircular,
    ...resolveReplacer(o.replacer),
    default: fn(o, 'default'),
    chunkSize: resolveChunkSize(o.chunkSize),
    signal: resolveSignal(o.signal),
    onProgress: fn(o, 'onProgress'),
    maxBytes: resolveMaxBytes(o.maxBytes),
    circular: resolveCircular(o.circular, checkCircular),
    maxDepth: resolveMaxDepth(o.maxDepth),
    madeDepth: o.maxDepth === undefined || o.maxDepth === null ? MADE_DEPTH : Infinity,
    escapeHTML: bool(o, 'escapeHTML') ?? false,
    escapeLineTerminators: bool(o, 'escapeLineTerminators') ?? false,
    bigintString: resolveBigint(o.bigint),
    canonical: bool(o, 'canonical') ?? false,
    invalidUTF8: oneOf(o, 'invalidUTF8', ['error', 'replace'] as const),
    end: bool(o, 'end') ?? true,
    atomic: bool(o, 'atomic') ?? true,
  };
  return r.canonical ? canonicalize(r, o) : r;
}
