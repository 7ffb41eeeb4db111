// The flags of the command line, parsed and checked: every flag of `jsondump export`, or a usage
// error. The commands of sharded exports (`plan`, `export --plan`, `manifest`) are read by
// shards/shard-args.ts from the same table of flags; command-line.ts picks the command.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import type { ExportArgs } from './export-args.js';
import { isTextSource } from './sources/source-kinds.js';

const OPTIONS = {
  from: { type: 'string' },
  table: { type: 'string' },
  query: { type: 'string' },
  where: { type: 'string' },
  param: { type: 'string', multiple: true },
  'param-text': { type: 'string', multiple: true },
  columns: { type: 'string' },
  'order-by': { type: 'string' },
  limit: { type: 'string' },
  output: { type: 'string', short: 'o' },
  lines: { type: 'boolean' },
  arrays: { type: 'boolean' },
  'json-cols': { type: 'boolean' },
  blob: { type: 'string' },
  'split-rows': { type: 'string' },
  'split-bytes': { type: 'string' },
  jobs: { type: 'string' },
  'assert-rows': { type: 'string' },
  'min-rows': { type: 'string' },
  indent: { type: 'string' },
  separators: { type: 'string' },
  'sort-keys': { type: 'boolean' },
  'ensure-ascii': { type: 'boolean' },
  'no-ensure-ascii': { type: 'boolean' },
  dialect: { type: 'string' },
  'escape-html': { type: 'boolean' },
  'max-bytes': { type: 'string' },
  canonical: { type: 'boolean' },
  bigint: { type: 'string' },
  'no-allow-nan': { type: 'boolean' },
  'replace-invalid-utf8': { type: 'boolean' },
  'no-atomic': { type: 'boolean' },
  // sharded exports (shards/shard-args.ts)
  shards: { type: 'string' },
  key: { type: 'string' },
  compress: { type: 'string' },
  plan: { type: 'string' },
  shard: { type: 'string' },
  all: { type: 'boolean' },
  snapshot: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

export type Values = ReturnType<typeof parseFlags>['values'];
export type Tokens = ReturnType<typeof parseFlags>['tokens'];

/** The largest --indent: wider levels only bloat the file (Python has no limit; JSON.stringify stops at 10). */
export const MAX_INDENT = 1000;

/**
 * `--name value` → `--name=value` for options that take a value, so that a value starting
 * with a dash (`--indent -1`, `--param -3`, `--where "-x > 0"`) is taken as getopt takes it,
 * where parseArgs would call it ambiguous.
 */
function attachValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const long = /^--([^=]+)$/.exec(arg)?.[1];
    const name = long ?? (arg === '-o' ? 'output' : undefined);
    if (name !== undefined && OPTIONS[name as keyof typeof OPTIONS]?.type === 'string' && i + 1 < argv.length) {
      out.push(`--${name}=${argv[++i]}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** parseArgs' messages, in one line each. */
function usageMessage(error: NodeJS.ErrnoException): string {
  const option = /'(-[^' ]*)/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      if (option === '-v') return 'unknown option -v (-V or --version shows the version, --verbose says more)';
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take/.test(error.message) ? `${option} takes no value` : `${option} needs a value`;
    default:
      return error.message.split('\n')[0];
  }
}

/** The flags and positionals of a command line, every command's flags in one table; throws UsageError. */
export function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: attachValues(argv), options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError(usageMessage(error as NodeJS.ErrnoException));
  }
}

export function oneOf<T extends string>(flag: string, text: string | undefined, choices: readonly T[], fallback: T): T;
export function oneOf<T extends string>(flag: string, text: string | undefined, choices: readonly T[], fallback: null): T | null;
export function oneOf<T extends string>(flag: string, text: string | undefined, choices: readonly T[], fallback: T | null): T | null {
  if (text === undefined) return fallback;
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${flag} must be ${choices.join(' or ')}, not ${JSON.stringify(text)}`);
}

/** A whole number of at least `min`. */
export function count(flag: string, text: string | undefined, min: number): number | null {
  if (text === undefined) return null;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, not ${JSON.stringify(text)}`);
  return n;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
const DECIMAL_UNITS: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12 };

/** A size in bytes, as GNU split reads it: 500k / 10M / 1G are powers of 1024 (KiB…), 10MB powers of 1000. */
export function parseSize(flag: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const match = /^(\d+(?:\.\d+)?)([kmgt]?)(ib|b)?$/i.exec(text);
  if (match !== null) {
    const [, number, unit, suffix] = match;
    const lower = unit.toLowerCase();
    const scale = suffix?.toLowerCase() === 'b' && lower !== '' ? DECIMAL_UNITS[lower] : SIZE_UNITS[lower];
    const bytes = Math.floor(Number(number) * scale);
    if (Number.isSafeInteger(bytes) && bytes >= 1) return bytes;
  }
  throw new UsageError(`${flag} takes a size such as 500k, 10M or 1G (bytes, powers of 1024; 10MB for powers of 1000), not ${JSON.stringify(text)}`);
}

const JSON_SPACE = /^[ \t\n\r]*$/;

function parseIndent(text: string | undefined): number | string | null {
  if (text === undefined) return null;
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    if (Math.abs(n) > MAX_INDENT) throw new UsageError(`--indent takes a number from -${MAX_INDENT} to ${MAX_INDENT}, not ${text}`);
    return n;
  }
  if (!JSON_SPACE.test(text) || text.length > MAX_INDENT) {
    throw new UsageError(`--indent takes a number or up to ${MAX_INDENT} spaces, tabs or line breaks, not ${JSON.stringify(text)}`);
  }
  return text;
}

function parseSeparators(text: string | undefined, lines: boolean): [string, string] | null {
  if (text === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 2 || !value.every((s) => typeof s === 'string')) {
    throw new UsageError(`--separators takes a JSON array of two strings, e.g. '[", ", ": "]', not ${text}`);
  }
  const [item, key] = value as [string, string];
  // Anything else around ',' and ':' would not be JSON any more
  if (!/^[ \t\n\r]*,[ \t\n\r]*$/.test(item) || !/^[ \t\n\r]*:[ \t\n\r]*$/.test(key)) {
    throw new UsageError(`--separators must be "," and ":" with only spaces, tabs or line breaks around them, not ${text}`);
  }
  if (lines && /[\n\r]/.test(item + key)) throw new UsageError('--separators cannot hold line breaks with --lines: each record is one line');
  return [item, key];
}

export function parseColumns(text: string | undefined): string[] | null {
  if (text === undefined) return null;
  const columns = text.split(',').map((c) => c.trim());
  if (columns.some((c) => c === '')) throw new UsageError(`--columns takes names separated by commas, not ${JSON.stringify(text)}`);
  return columns;
}

export function parseOutput(text: string | undefined): string | null {
  if (text === '') throw new UsageError('-o needs a file name (or - for stdout)');
  return text ?? null;
}

/**
 * Flags that cannot be given together, or only with another (a text source refuses the database
 * flags itself). `toStdout`: -o names no file, so that split parts have nothing to be named after.
 */
function checkCombinations(v: Values, toStdout: boolean, textSource: boolean): void {
  const given = (name: keyof Values) => v[name] !== undefined;
  const pairs: [keyof Values, keyof Values][] = [
    ['table', 'query'], ['split-rows', 'split-bytes'], ['assert-rows', 'min-rows'],
    ['ensure-ascii', 'no-ensure-ascii'], ['quiet', 'verbose'], ['lines', 'indent'],
  ];
  for (const [a, b] of pairs) if (given(a) && given(b)) throw new UsageError(`give --${a} or --${b}, not both`);
  for (const name of ['where', 'columns', 'order-by', 'limit'] as const) {
    if (given(name) && !given('table') && !textSource) throw new UsageError(`--${name} needs --table (with --query, write it in the SQL)`);
  }
  for (const name of ['param', 'param-text'] as const) {
    if (given(name) && !given('where') && !given('query') && !textSource) throw new UsageError(`--${name} needs --where or --query, whose placeholders it fills`);
  }
  for (const name of ['split-rows', 'split-bytes'] as const) {
    if (given(name) && toStdout) throw new UsageError(`--${name} needs -o FILE: the parts are named after it`);
  }
  if (v.canonical) {
    for (const name of ['indent', 'separators', 'sort-keys', 'ensure-ascii', 'no-ensure-ascii'] as const) {
      if (given(name)) throw new UsageError(`--canonical fixes the layout: it cannot be combined with --${name}`);
    }
    if (v.dialect === 'python') throw new UsageError('--canonical cannot be combined with --dialect python');
  }
}

/** --param and --param-text values in the order given (positional placeholders are filled in that order). */
function orderedParams(tokens: Tokens): { params: string[]; paramsAsText: boolean[] } {
  const params: string[] = [];
  const paramsAsText: boolean[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || (token.name !== 'param' && token.name !== 'param-text')) continue;
    params.push(token.value ?? '');
    paramsAsText.push(token.name === 'param-text');
  }
  return { params, paramsAsText };
}

/** `splitNamedAfterOutput`: --split-* names its parts after -o (false for `jsondump plan`, whose -o is the plan). */
export function exportArgs(source: string, v: Values, tokens: Tokens, splitNamedAfterOutput = true): ExportArgs {
  const output = parseOutput(v.output);
  const from = oneOf('--from', v.from, ['json', 'jsonl'] as const, null);
  checkCombinations(v, splitNamedAfterOutput && (output === null || output === '-'), isTextSource(source, from));
  const lines = v.lines ?? false;
  return {
    command: 'export',
    source,
    from,
    table: v.table ?? null,
    query: v.query ?? null,
    where: v.where ?? null,
    ...orderedParams(tokens),
    columns: parseColumns(v.columns),
    orderBy: v['order-by'] ?? null,
    limit: count('--limit', v.limit, 0),
    output,
    lines,
    arrays: v.arrays ?? false,
    jsonCols: v['json-cols'] ?? false,
    blob: oneOf('--blob', v.blob, ['base64', 'hex', 'object'] as const, 'base64'),
    splitRows: count('--split-rows', v['split-rows'], 1),
    splitBytes: parseSize('--split-bytes', v['split-bytes']),
    jobs: count('--jobs', v.jobs, 1) ?? 1,
    assertRows: count('--assert-rows', v['assert-rows'], 0),
    minRows: count('--min-rows', v['min-rows'], 0),
    indent: parseIndent(v.indent),
    separators: parseSeparators(v.separators, lines),
    sortKeys: v['sort-keys'] ?? false,
    ensureAscii: v['ensure-ascii'] ? true : v['no-ensure-ascii'] ? false : null,
    dialect: oneOf('--dialect', v.dialect, ['js', 'python'] as const, 'js'),
    escapeHTML: v['escape-html'] ?? false,
    maxBytes: parseSize('--max-bytes', v['max-bytes']),
    canonical: v.canonical ?? false,
    bigint: oneOf('--bigint', v.bigint, ['number', 'string'] as const, 'number'),
    allowNaN: v['no-allow-nan'] ? false : null,
    replaceInvalidUTF8: v['replace-invalid-utf8'] ?? false,
    atomic: !(v['no-atomic'] ?? false),
    quiet: v.quiet ?? false,
    verbose: v.verbose ?? false,
    given: Object.keys(v),
  };
}
