import { parseArgs } from 'node:util';

export const USAGE = `Usage: jsondump export <source> [options]

Sources:
  sqlite:PATH            an SQLite database file (needs --table or --query)
  postgres://USER@HOST:PORT/DB
                         a PostgreSQL server, read through a server-side cursor
                         (needs --table or --query)
  FILE.jsonl | -         JSON Lines from a file or from stdin, one record at a time
  FILE.json              a JSON document of any size, re-encoded as it is parsed

Options:
  --table NAME           export every row of this table ("schema.table" allowed)
  --query SQL            export the rows of this query
  -o, --output FILE      write FILE atomically (default: stdout)
  --lines                JSON Lines: one compact record per line
  --indent N             indent N spaces per level (0: newlines only); a non-numeric
                         value is used verbatim per level, e.g. --indent $'\\t'
  --sort-keys            sort object members by key (records sources only)
  --ensure-ascii         escape every non-ASCII character as \\uXXXX
  --dialect js|python    JSON.stringify (default) or Python json.dumps conventions
  --separators JSON      item and key separators as a JSON array, e.g. '[",", ":"]'
  -q, --quiet            no progress line on stderr
  -h, --help             show this help
  -v, --version          show the version

Exit status: 0 success, 1 source or destination error, 2 bad usage.`;

/** Bad command-line usage: reported with the usage text, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ExportArgs {
  command: 'export';
  source: string;
  table: string | null;
  query: string | null;
  output: string | null;
  lines: boolean;
  indent: number | string | null;
  sortKeys: boolean;
  ensureAscii: boolean;
  dialect: 'js' | 'python';
  separators: [string, string] | null;
  quiet: boolean;
}

export type Args = ExportArgs | { command: 'help' } | { command: 'version' };

const OPTIONS = {
  table: { type: 'string' },
  query: { type: 'string' },
  output: { type: 'string', short: 'o' },
  lines: { type: 'boolean' },
  indent: { type: 'string' },
  'sort-keys': { type: 'boolean' },
  'ensure-ascii': { type: 'boolean' },
  dialect: { type: 'string' },
  separators: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parseIndent(text: string | undefined): number | string | null {
  if (text === undefined) return null;
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

function parseDialect(text: string | undefined): 'js' | 'python' {
  if (text === undefined || text === 'js' || text === 'python') return text ?? 'js';
  throw new UsageError(`--dialect must be js or python, not ${JSON.stringify(text)}`);
}

function parseSeparators(text: string | undefined): [string, string] | null {
  if (text === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  if (Array.isArray(value) && value.length === 2 && value.every((s) => typeof s === 'string')) {
    return [value[0], value[1]];
  }
  throw new UsageError(`--separators takes a JSON array of two strings, e.g. '[", ", ": "]', not ${text}`);
}

/** Parses the command line (without `node` and the script); throws UsageError. */
export function parseCommandLine(argv: string[]): Args {
  const { values, positionals } = parse(argv);
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, source, ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing command');
  if (command !== 'export') throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  if (source === undefined) throw new UsageError('missing source');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (values.table !== undefined && values.query !== undefined) throw new UsageError('give --table or --query, not both');
  const indent = parseIndent(values.indent);
  if (values.lines && indent !== null) throw new UsageError('--indent cannot be used with --lines');
  return {
    command,
    source,
    table: values.table ?? null,
    query: values.query ?? null,
    output: values.output ?? null,
    lines: values.lines ?? false,
    indent,
    sortKeys: values['sort-keys'] ?? false,
    ensureAscii: values['ensure-ascii'] ?? false,
    dialect: parseDialect(values.dialect),
    separators: parseSeparators(values.separators),
    quiet: values.quiet ?? false,
  };
}
