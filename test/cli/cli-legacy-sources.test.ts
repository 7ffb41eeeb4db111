// The previous sources, adapted until each implements SourceKind: a flag they do not implement is
// refused (an ignored --where would export every row), never ignored.
import { describe, expect, it } from 'vitest';
import { UsageError, parseCommandLine, type ExportArgs } from '../../src/cli/args.js';
import { legacyJson, legacyJsonLines, legacyPostgres, legacySqlite } from '../../src/cli/sources/legacy.js';

const args = (...argv: string[]) => parseCommandLine(['export', ...argv]) as ExportArgs;
const signal = new AbortController().signal;

describe('flags a source does not implement are refused', () => {
  const cases: [string, ExportArgs, string][] = [
    ['SQLite --where', args('sqlite:x.db', '--table', 't', '--where', 'a > ?', '--param', '1'), '--where is not supported for SQLite sources in this version'],
    ['SQLite --columns', args('sqlite:x.db', '--table', 't', '--columns', 'a'), '--columns is not supported for SQLite sources in this version'],
    ['SQLite --order-by', args('sqlite:x.db', '--table', 't', '--order-by', 'a'), '--order-by is not supported for SQLite sources in this version'],
    ['SQLite --limit', args('sqlite:x.db', '--table', 't', '--limit', '1'), '--limit is not supported for SQLite sources in this version'],
    ['SQLite --param', args('sqlite:x.db', '--query', 'SELECT ?', '--param', '1'), '--param is not supported for SQLite sources in this version'],
    ['SQLite --arrays', args('sqlite:x.db', '--table', 't', '--arrays'), '--arrays is not supported for SQLite sources in this version'],
    ['SQLite --json-cols', args('sqlite:x.db', '--table', 't', '--json-cols'), '--json-cols is not supported for SQLite sources in this version'],
    ['SQLite --blob hex', args('sqlite:x.db', '--table', 't', '--blob', 'hex'), '--blob is not supported for SQLite sources in this version'],
    ['SQLite --jobs 2', args('sqlite:x.db', '--table', 't', '--jobs', '2'), '--jobs is not supported for SQLite sources in this version'],
    ['PostgreSQL --where', args('postgres://h/db', '--table', 't', '--where', 'a'), '--where is not supported for PostgreSQL sources in this version'],
    ['JSON Lines --jobs', args('x.jsonl', '--jobs', '2'), '--jobs is not supported for JSON Lines sources in this version'],
    ['JSON --blob', args('x.json', '--blob', 'object'), '--blob is not supported for JSON sources in this version'],
  ];
  const kinds = [legacySqlite, legacyPostgres, legacyJsonLines, legacyJson];
  for (const [what, given, message] of cases) {
    it(what, async () => {
      const kind = kinds.find((k) => k.matches(given.source, given))!;
      await expect(kind.open(given, signal)).rejects.toThrow(new UsageError(message));
    });
  }
});
