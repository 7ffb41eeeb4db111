// A flag a source does not implement is refused, never ignored: an ignored --where would
// export every row, an ignored --blob would change how bytes are written.
import { describe, expect, it } from 'vitest';
import { UsageError, parseCommandLine, type ExportArgs } from '../../src/cli/args.js';
import { openSource } from '../../src/cli/sources/index.js';

const args = (...argv: string[]) => parseCommandLine(['export', ...argv]) as ExportArgs;
const signal = new AbortController().signal;

describe('text sources refuse the database flags', () => {
  const cases: [string, ExportArgs, string][] = [
    ['JSON Lines --jobs', args('x.jsonl', '--jobs', '2'), '--jobs is not supported for JSON Lines sources in this version'],
    ['JSON Lines --arrays', args('x.jsonl', '--arrays'), '--arrays is not supported for JSON Lines sources in this version'],
    ['JSON Lines --json-cols', args('x.jsonl', '--json-cols'), '--json-cols is not supported for JSON Lines sources in this version'],
    ['stdin --blob', args('-', '--blob', 'hex'), '--blob is not supported for JSON Lines sources in this version'],
    ['JSON --blob', args('x.json', '--blob', 'object'), '--blob is not supported for JSON sources in this version'],
    ['JSON --jobs', args('x.json', '--jobs', '3'), '--jobs is not supported for JSON sources in this version'],
  ];
  for (const [what, given, message] of cases) {
    it(what, async () => {
      const error = await openSource(given, signal).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UsageError);
      // the wording is the source's; the flag comes first
      expect((error as Error).message.split(' ')[0]).toBe(message.split(' ')[0]);
    });
  }
});
