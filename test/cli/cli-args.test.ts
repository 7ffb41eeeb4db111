// Every flag of `jsondump export`, parsed into ExportArgs; every way to misuse them, one line each.
import { describe, expect, it } from 'vitest';
import { parseSize } from '../../src/cli/args.js';
import { parseCommandLine } from '../../src/cli/command-line.js';
import { UsageError } from '../../src/cli/errors.js';
import type { ExportArgs } from '../../src/cli/export-args.js';

const DEFAULTS: ExportArgs = {
  command: 'export',
  source: 'in.jsonl',
  from: null,
  table: null,
  query: null,
  where: null,
  params: [],
  paramsAsText: [],
  columns: null,
  orderBy: null,
  limit: null,
  output: null,
  lines: false,
  arrays: false,
  jsonCols: false,
  blob: 'base64',
  splitRows: null,
  splitBytes: null,
  jobs: 1,
  assertRows: null,
  minRows: null,
  indent: null,
  separators: null,
  sortKeys: false,
  ensureAscii: null,
  dialect: 'js',
  escapeHTML: false,
  maxBytes: null,
  canonical: false,
  bigint: 'number',
  allowNaN: null,
  replaceInvalidUTF8: false,
  atomic: true,
  quiet: false,
  verbose: false,
  given: [],
};

const parsed = (...flags: string[]) => parseCommandLine(['export', 'in.jsonl', ...flags]);

describe('every flag', () => {
  it('nothing but a source: the defaults', () => {
    expect(parsed()).toEqual(DEFAULTS);
  });

  const flags: [string[], Partial<ExportArgs>][] = [
    [['--from', 'json'], { from: 'json' }],
    [['--from', 'jsonl'], { from: 'jsonl' }],
    [['--table', 'main."my table"'], { table: 'main."my table"' }],
    [['--query', 'SELECT 1'], { query: 'SELECT 1' }],
    [['--table', 't', '--where', 'a > ?', '--param', '-3'], { table: 't', where: 'a > ?', params: ['-3'], paramsAsText: [false] }],
    [['--query', 'SELECT :a, :b', '--param', 'a=1', '--param', 'b=x=y'], { query: 'SELECT :a, :b', params: ['a=1', 'b=x=y'], paramsAsText: [false, false] }],
    [['--query', 'SELECT ?, ?, ?', '--param', '1', '--param-text', '2', '--param', '3'], { query: 'SELECT ?, ?, ?', params: ['1', '2', '3'], paramsAsText: [false, true, false] }],
    [['--table', 't', '--columns', 'a, b,c'], { table: 't', columns: ['a', 'b', 'c'] }],
    [['--table', 't', '--order-by', 'a DESC'], { table: 't', orderBy: 'a DESC' }],
    [['--table', 't', '--limit', '0'], { table: 't', limit: 0 }],
    [['-o', 'out.json'], { output: 'out.json' }],
    [['--output', '-'], { output: '-' }],
    [['--output=out.json'], { output: 'out.json' }],
    [['--lines'], { lines: true }],
    [['--arrays'], { arrays: true }],
    [['--json-cols'], { jsonCols: true }],
    [['--blob', 'hex'], { blob: 'hex' }],
    [['--blob', 'object'], { blob: 'object' }],
    [['--split-rows', '1000', '-o', 'o.json'], { splitRows: 1000, output: 'o.json' }],
    [['--split-bytes', '10M', '-o', 'o.json'], { splitBytes: 10 * 2 ** 20, output: 'o.json' }],
    [['--jobs', '2'], { jobs: 2 }],
    [['--assert-rows', '0'], { assertRows: 0 }],
    [['--min-rows', '5'], { minRows: 5 }],
    [['--indent', '2'], { indent: 2 }],
    [['--indent', '-1'], { indent: -1 }],
    [['--indent', '\t'], { indent: '\t' }],
    [['--separators', '[", ", ": "]'], { separators: [', ', ': '] }],
    [['--separators', '[",\\n", " : "]'], { separators: [',\n', ' : '] }],
    [['--sort-keys'], { sortKeys: true }],
    [['--ensure-ascii'], { ensureAscii: true }],
    [['--no-ensure-ascii'], { ensureAscii: false }],
    [['--dialect', 'python'], { dialect: 'python' }],
    [['--escape-html'], { escapeHTML: true }],
    [['--max-bytes', '1500'], { maxBytes: 1500 }],
    [['--canonical'], { canonical: true }],
    [['--bigint', 'string'], { bigint: 'string' }],
    [['--no-allow-nan'], { allowNaN: false }],
    [['--replace-invalid-utf8'], { replaceInvalidUTF8: true }],
    [['--no-atomic'], { atomic: false }],
    [['-q'], { quiet: true }],
    [['--quiet'], { quiet: true }],
    [['--verbose'], { verbose: true }],
  ];
  for (const [argv, expected] of flags) {
    it(argv.join(' '), () => {
      // the flags' long names, each once, in order (a value such as '-3' is not a flag)
      const given = argv.filter((a) => /^(--[a-z]|-[oq]$)/.test(a)).map((a) => (a === '-o' ? 'output' : a === '-q' ? 'quiet' : a.slice(2).replace(/=.*/, '')));
      expect(parsed(...argv)).toEqual({ ...DEFAULTS, ...expected, given: [...new Set(given)] });
    });
  }

  it('-h, --help, -V and --version, wherever they stand', () => {
    expect(parseCommandLine(['-h'])).toEqual({ command: 'help' });
    expect(parseCommandLine(['export', 'x', '--help'])).toEqual({ command: 'help' });
    expect(parseCommandLine(['-V'])).toEqual({ command: 'version' });
    expect(parseCommandLine(['--version'])).toEqual({ command: 'version' });
  });

  it('a source after --, even one that starts with a dash', () => {
    expect(parseCommandLine(['export', '--lines', '--', '-odd.jsonl'])).toEqual({ ...DEFAULTS, source: '-odd.jsonl', lines: true, given: ['lines'] });
  });
});

describe('sizes', () => {
  const sizes: [string, number][] = [
    ['1', 1], ['500k', 512_000], ['500K', 512_000], ['10M', 10_485_760], ['1G', 2 ** 30], ['2T', 2 * 2 ** 40],
    ['1.5M', 1_572_864], ['10MB', 10_000_000], ['10kB', 10_000], ['3MiB', 3 * 2 ** 20], ['7b', 7],
  ];
  for (const [text, bytes] of sizes) {
    it(`${text} = ${bytes} bytes`, () => {
      expect(parseSize('--split-bytes', text)).toBe(bytes);
    });
  }
});

describe('usage errors: one line that names the flag', () => {
  const bad: [string, string[], string][] = [
    ['no command', [], 'missing command: jsondump export <source> [options]'],
    ['an unknown command', ['frobnicate'], 'unknown command "frobnicate" (the commands are export, plan and manifest)'],
    ['no source', ['export'], 'missing source: jsondump export <source> [options]'],
    ['an empty source', ['export', ''], 'the source is empty: give sqlite:PATH, a URL, a file or - for stdin'],
    ['two sources', ['export', 'a.jsonl', 'b.jsonl'], 'unexpected argument "b.jsonl"'],
    ['an unknown option', ['export', 'x', '--nope'], 'unknown option --nope'],
    ['an unknown short option', ['export', 'x', '-x'], 'unknown option -x'],
    ['-v, which means verbose to pg_dump', ['-v'], 'unknown option -v (-V or --version shows the version, --verbose says more)'],
    ['a flag without its value', ['export', 'x', '--table'], '--table needs a value'],
    ['a value given to a switch', ['export', 'x', '--lines=yes'], '--lines takes no value'],
    ['-o with an empty name', ['export', 'x', '-o', ''], '-o needs a file name (or - for stdout)'],
    ['--table and --query', ['export', 'x', '--table', 't', '--query', 'q'], 'give --table or --query, not both'],
    ['--where without --table', ['export', 'x', '--query', 'q', '--where', 'a'], '--where needs --table (with --query, write it in the SQL)'],
    ['--columns without --table', ['export', 'x', '--columns', 'a'], '--columns needs --table (with --query, write it in the SQL)'],
    ['--order-by without --table', ['export', 'x', '--order-by', 'a'], '--order-by needs --table (with --query, write it in the SQL)'],
    ['--limit without --table', ['export', 'x', '--limit', '1'], '--limit needs --table (with --query, write it in the SQL)'],
    ['--param without a placeholder', ['export', 'x', '--table', 't', '--param', '1'], '--param needs --where or --query, whose placeholders it fills'],
    ['--param-text without a placeholder', ['export', 'x', '--table', 't', '--param-text', '1'], '--param-text needs --where or --query, whose placeholders it fills'],
    ['an empty column name', ['export', 'x', '--table', 't', '--columns', 'a,,b'], '--columns takes names separated by commas, not "a,,b"'],
    ['a negative --limit', ['export', 'x', '--table', 't', '--limit', '-1'], '--limit takes a whole number, not "-1"'],
    ['a fractional --split-rows', ['export', 'x', '-o', 'o', '--split-rows', '1.5'], '--split-rows takes a whole number of at least 1, not "1.5"'],
    ['--split-rows 0', ['export', 'x', '-o', 'o', '--split-rows', '0'], '--split-rows takes a whole number of at least 1, not "0"'],
    ['--jobs 0', ['export', 'x', '--jobs', '0'], '--jobs takes a whole number of at least 1, not "0"'],
    ['--assert-rows past 2^53', ['export', 'x', '--assert-rows', '9007199254740993'], '--assert-rows takes a whole number, not "9007199254740993"'],
    ['--min-rows x', ['export', 'x', '--min-rows', 'x'], '--min-rows takes a whole number, not "x"'],
    ['a bad size', ['export', 'x', '-o', 'o', '--split-bytes', '10Q'], '--split-bytes takes a size such as 500k, 10M or 1G (bytes, powers of 1024; 10MB for powers of 1000), not "10Q"'],
    ['a zero size', ['export', 'x', '--max-bytes', '0'], '--max-bytes takes a size such as 500k, 10M or 1G (bytes, powers of 1024; 10MB for powers of 1000), not "0"'],
    ['--split-rows to stdout', ['export', 'x', '--split-rows', '5'], '--split-rows needs -o FILE: the parts are named after it'],
    ['--split-bytes to -o -', ['export', 'x', '-o', '-', '--split-bytes', '5k'], '--split-bytes needs -o FILE: the parts are named after it'],
    ['--split-rows and --split-bytes', ['export', 'x', '-o', 'o', '--split-rows', '1', '--split-bytes', '1'], 'give --split-rows or --split-bytes, not both'],
    ['--assert-rows and --min-rows', ['export', 'x', '--assert-rows', '1', '--min-rows', '1'], 'give --assert-rows or --min-rows, not both'],
    ['--indent 99999999999', ['export', 'x', '--indent', '99999999999'], '--indent takes a number from -1000 to 1000, not 99999999999'],
    ['an indent that is not white space', ['export', 'x', '--indent', 'ab'], '--indent takes a number or up to 1000 spaces, tabs or line breaks, not "ab"'],
    ['--indent with --lines', ['export', 'x', '--lines', '--indent', '2'], 'give --lines or --indent, not both'],
    ['malformed --separators', ['export', 'x', '--separators', ',:'], `--separators takes a JSON array of two strings, e.g. '[", ", ": "]', not ,:`],
    ['--separators that are not JSON', ['export', 'x', '--separators', '[";", "="]'], '--separators must be "," and ":" with only spaces, tabs or line breaks around them, not [";", "="]'],
    ['--separators breaking JSON Lines', ['export', 'x', '--lines', '--separators', '[",\\n", ":"]'], '--separators cannot hold line breaks with --lines: each record is one line'],
    ['a key separator breaking JSON Lines', ['export', 'x', '--lines', '--separators', '[",", "\\r:"]'], '--separators cannot hold line breaks with --lines: each record is one line'],
    ['--ensure-ascii and --no-ensure-ascii', ['export', 'x', '--ensure-ascii', '--no-ensure-ascii'], 'give --ensure-ascii or --no-ensure-ascii, not both'],
    ['--quiet and --verbose', ['export', 'x', '-q', '--verbose'], 'give --quiet or --verbose, not both'],
    ['an unknown dialect', ['export', 'x', '--dialect', 'ruby'], '--dialect must be js or python, not "ruby"'],
    ['an unknown --from', ['export', 'x', '--from', 'csv'], '--from must be json or jsonl, not "csv"'],
    ['an unknown --blob', ['export', 'x', '--blob', 'raw'], '--blob must be base64 or hex or object, not "raw"'],
    ['an unknown --bigint', ['export', 'x', '--bigint', 'float'], '--bigint must be number or string, not "float"'],
    ['--canonical with --indent', ['export', 'x', '--canonical', '--indent', '2'], '--canonical fixes the layout: it cannot be combined with --indent'],
    ['--canonical with --sort-keys', ['export', 'x', '--canonical', '--sort-keys'], '--canonical fixes the layout: it cannot be combined with --sort-keys'],
    ['--canonical with --no-ensure-ascii', ['export', 'x', '--canonical', '--no-ensure-ascii'], '--canonical fixes the layout: it cannot be combined with --no-ensure-ascii'],
    ['--canonical in the python dialect', ['export', 'x', '--canonical', '--dialect', 'python'], '--canonical cannot be combined with --dialect python'],
  ];
  for (const [what, argv, message] of bad) {
    it(what, () => {
      expect(() => parseCommandLine(argv)).toThrow(new UsageError(message));
    });
  }
});
