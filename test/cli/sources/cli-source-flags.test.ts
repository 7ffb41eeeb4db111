// A flag a source does not implement is refused, never ignored: an ignored --where would
// export every row, an ignored --blob would change how bytes are written. The refusal is bad
// usage (exit 2), found before the source is opened: none of these files exists.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/cli/command-line.js';
import { UsageError } from '../../../src/cli/errors.js';
import type { ExportArgs } from '../../../src/cli/export-args.js';
import { openSource } from '../../../src/cli/sources/source-kinds.js';

const args = (...argv: string[]) => parseCommandLine(['export', ...argv]) as ExportArgs;
const signal = new AbortController().signal;
const SORTING = 'sorting needs whole objects in memory, which a stream never holds';

describe('text sources refuse the database flags', () => {
  const cases: [string, ExportArgs, string][] = [
    ['JSON Lines --jobs', args('x.jsonl', '--jobs', '2'), '--jobs applies to database sources only'],
    ['JSON Lines --jobs 1', args('x.jsonl', '--jobs', '1'), '--jobs applies to database sources only'],
    ['JSON Lines --arrays', args('x.jsonl', '--arrays'), '--arrays applies to database sources only'],
    ['JSON Lines --json-cols', args('x.jsonl', '--json-cols'), '--json-cols applies to database sources only'],
    ['stdin --blob', args('-', '--blob', 'hex'), '--blob applies to database sources only'],
    ['stdin --blob base64, the default', args('-', '--blob', 'base64'), '--blob applies to database sources only'],
    ['JSON --blob', args('x.json', '--blob', 'object'), '--blob applies to database sources only'],
    ['JSON --jobs', args('x.json', '--jobs', '3'), '--jobs applies to database sources only'],
    ['JSON --table', args('x.json', '--table', 't'), '--table applies to database sources only'],
    ['stdin --query', args('-', '--query', 'SELECT 1'), '--query applies to database sources only'],
    ['JSON --sort-keys', args('x.json.gz', '--sort-keys'), `--sort-keys cannot be used with a JSON source: ${SORTING}`],
    ['JSON Lines --canonical', args('x.ndjson', '--canonical'), `--canonical cannot be used with a JSON Lines source: ${SORTING}`],
    ['stdin --bigint', args('-', '--bigint', 'string'), '--bigint cannot be used with a JSON Lines source: every number keeps the text it has there'],
  ];
  for (const [what, given, message] of cases) {
    it(what, async () => {
      await expect(openSource(given, signal)).rejects.toThrow(new UsageError(message));
      await expect(openSource(given, signal)).rejects.toBeInstanceOf(UsageError);
    });
  }
});

describe('flags that go with --table, on a text source: they apply to database sources only', () => {
  /** The usage error of `argv`, from the command line's checks or from the source's. */
  async function refusal(...argv: string[]): Promise<string> {
    try {
      await openSource(args(...argv), signal);
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
    throw new Error('not refused');
  }
  const cases: [string, string[], string][] = [
    ['JSON Lines --where', ['x.jsonl', '--where', 'id > 1'], '--where applies to database sources only'],
    ['JSON Lines --columns', ['x.jsonl', '--columns', 'a,b'], '--columns applies to database sources only'],
    ['JSON --order-by', ['x.json', '--order-by', 'a'], '--order-by applies to database sources only'],
    ['stdin --limit', ['-', '--limit', '5'], '--limit applies to database sources only'],
    ['JSON Lines --param', ['x.jsonl', '--param', '5'], '--param applies to database sources only'],
    ['--from jsonl, a file of another name, --where', ['x.txt', '--from', 'jsonl', '--where', 'a'], '--where applies to database sources only'],
  ];
  for (const [what, argv, message] of cases) {
    it(what, async () => {
      expect(await refusal(...argv)).toBe(message);
    });
  }

  it('on a database source, --where without --table still needs --table', async () => {
    expect(await refusal('sqlite:x.db', '--where', 'a')).toBe('--where needs --table (with --query, write it in the SQL)');
  });
});
