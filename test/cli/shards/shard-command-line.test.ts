// The command lines of sharded exports: `plan`, `export --plan`, `manifest verify|merge`,
// parsed into their arguments, and every way to misuse them refused with one line.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/cli/command-line.js';
import { UsageError } from '../../../src/cli/errors.js';

function usage(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('jsondump plan', () => {
  it('takes the selection and the layout as export does, and the plan\'s own flags', () => {
    const args = parseCommandLine(['plan', 'sqlite:app.db', '--table', 't', '--shards', '16', '--key', 'a,b', '--where', 'x > ?', '--param', '5',
      '--param-text', '007', '--columns', 'a,b,c', '--lines', '--split-rows', '1000', '--compress', 'gz', '--dialect', 'python', '-o', 'plan.json']);
    expect(args).toMatchObject({
      command: 'plan',
      shards: 16,
      key: ['a', 'b'],
      compress: 'gz',
      snapshot: null,
      output: 'plan.json',
      export: { source: 'sqlite:app.db', table: 't', where: 'x > ?', params: ['5', '007'], paramsAsText: [false, true], columns: ['a', 'b', 'c'], lines: true, splitRows: 1000, dialect: 'python', output: null },
    });
    // the plan to stdout, split parts named by the plan
    expect(parseCommandLine(['plan', 'postgres://h/db', '--table', 't', '--shards', '2', '--split-bytes', '10M'])).toMatchObject({ output: null, export: { splitBytes: 10 * 2 ** 20 } });
  });

  const bad: [string, string[], string][] = [
    ['no source', ['plan'], 'missing source: jsondump plan <source> --table NAME --shards N -o PLAN.json'],
    ['a text source', ['plan', 'rows.jsonl', '--table', 't', '--shards', '2'], 'jsondump plan reads a database table (sqlite:PATH or postgres://…), not "rows.jsonl"'],
    ['no --table', ['plan', 'sqlite:a.db', '--shards', '2'], 'jsondump plan needs --table NAME: the table to cut into shards'],
    ['no --shards', ['plan', 'sqlite:a.db', '--table', 't'], 'jsondump plan needs --shards N: how many key ranges to cut the table into'],
    ['--shards 0', ['plan', 'sqlite:a.db', '--table', 't', '--shards', '0'], '--shards takes a whole number of at least 1, not "0"'],
    ['too many shards', ['plan', 'sqlite:a.db', '--table', 't', '--shards', '100001'], '--shards takes at most 100,000, not 100001'],
    ['a query', ['plan', 'sqlite:a.db', '--query', 'select 1', '--shards', '2'], 'jsondump plan takes no --query: a plan cuts a --table by its key; a --query cannot be cut'],
    ['--order-by', ['plan', 'sqlite:a.db', '--table', 't', '--shards', '2', '--order-by', 'x'], 'jsondump plan takes no --order-by: every shard is in key order'],
    ['--jobs', ['plan', 'sqlite:a.db', '--table', 't', '--shards', '2', '--jobs', '2'], 'jsondump plan takes no --jobs: give --jobs to `jsondump export --plan PLAN --all`, which runs that many shards at once'],
    ['a key named twice', ['plan', 'sqlite:a.db', '--table', 't', '--shards', '2', '--key', 'a,a'], '--key names a column twice: "a,a"'],
    ['an unknown compression', ['plan', 'sqlite:a.db', '--table', 't', '--shards', '2', '--compress', 'xz'], '--compress must be gz or br or zst, not "xz"'],
    ['a snapshot that is not one', ['plan', 'postgres://h/db', '--table', 't', '--shards', '2', '--snapshot', "x'; drop"], '--snapshot takes an ID that pg_export_snapshot() returned (such as 00000003-0000001B-1), not "x\'; drop"'],
  ];
  for (const [what, argv, message] of bad) it(`refuses ${what}`, () => expect(usage(argv)).toBe(message));
});

describe('jsondump export --plan', () => {
  it('takes --shard K or --all [--jobs N], -o DIR (the working directory by default) and a source of its own', () => {
    expect(parseCommandLine(['export', '--plan', 'p.json', '--shard', '3'])).toEqual({
      command: 'shard', plan: 'p.json', shard: 3, all: false, jobs: 1, source: null, output: '.', snapshot: null, quiet: false, verbose: false,
    });
    expect(parseCommandLine(['export', 'postgres://me:pw@h/db', '--plan', 'p.json', '--all', '--jobs', '4', '-o', 'out', '--snapshot', '00000003-0000001B-1', '-q'])).toEqual({
      command: 'shard', plan: 'p.json', shard: null, all: true, jobs: 4, source: 'postgres://me:pw@h/db', output: 'out', snapshot: '00000003-0000001B-1', quiet: true, verbose: false,
    });
  });

  const bad: [string, string[], string][] = [
    ['neither --shard nor --all', ['export', '--plan', 'p.json'], 'export --plan needs --shard K (one shard, from 0) or --all (every shard not yet complete)'],
    ['both', ['export', '--plan', 'p.json', '--shard', '1', '--all'], 'export --plan needs --shard K (one shard, from 0) or --all (every shard not yet complete)'],
    ['--jobs with one shard', ['export', '--plan', 'p.json', '--shard', '1', '--jobs', '2'], '--jobs runs that many shards at once: it goes with --all (one shard is one job)'],
    ['a layout flag', ['export', '--plan', 'p.json', '--shard', '1', '--lines'], '--lines is set by the plan: give it to jsondump plan (export --plan takes --shard, --all, --jobs, -o, --snapshot, -q, --verbose)'],
    ['a negative shard', ['export', '--plan', 'p.json', '--shard', '-1'], '--shard takes a whole number, not "-1"'],
    ['stdout', ['export', '--plan', 'p.json', '--shard', '1', '-o', '-'], '-o names the directory of the shards (default: the working directory), not stdout'],
    ['--shard without --plan', ['export', 'sqlite:a.db', '--table', 't', '--shard', '1'], '--shard needs --plan PLAN.json'],
    ['--shards on export', ['export', 'sqlite:a.db', '--table', 't', '--shards', '2'], '--shards is a flag of `jsondump plan`'],
    ['--compress on export', ['export', 'sqlite:a.db', '--table', 't', '--compress', 'gz'], '--compress is a flag of `jsondump plan` (a plain export is compressed by the name of -o: out.jsonl.gz)'],
  ];
  for (const [what, argv, message] of bad) it(`refuses ${what}`, () => expect(usage(argv)).toBe(message));
});

describe('jsondump manifest', () => {
  it('verify DIR [--plan PLAN], merge DIR -o MANIFEST', () => {
    expect(parseCommandLine(['manifest', 'verify', 'out', '--plan', 'p.json'])).toEqual({ command: 'manifest-verify', dir: 'out', plan: 'p.json', output: null, quiet: false, verbose: false });
    expect(parseCommandLine(['manifest', 'merge', 'out', '-o', 'm.json'])).toEqual({ command: 'manifest-merge', dir: 'out', plan: null, output: 'm.json', quiet: false, verbose: false });
  });

  const bad: [string, string[], string][] = [
    ['no action', ['manifest'], 'missing jsondump manifest verify DIR, or jsondump manifest merge DIR -o MANIFEST.json'],
    ['an unknown action', ['manifest', 'check', 'out'], 'unknown manifest command "check": jsondump manifest verify DIR, or jsondump manifest merge DIR -o MANIFEST.json'],
    ['no directory', ['manifest', 'verify'], 'missing directory: jsondump manifest verify DIR'],
    ['merge without -o', ['manifest', 'merge', 'out'], 'jsondump manifest merge needs -o MANIFEST.json: the manifest it writes'],
    ['verify with -o', ['manifest', 'verify', 'out', '-o', 'x.json'], 'jsondump manifest verify takes no -o'],
    ['an export flag', ['manifest', 'verify', 'out', '--lines'], 'jsondump manifest verify takes no --lines'],
  ];
  for (const [what, argv, message] of bad) it(`refuses ${what}`, () => expect(usage(argv)).toBe(message));
});
