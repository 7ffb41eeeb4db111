// Where -o puts the output: the path given, or, for a directory (`-o out/`, or a directory that
// is there), a file inside it named after what is exported, as `cp FILE DIR/` names the copy.
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SourceError, UsageError } from '../errors.js';
import type { ExportArgs } from '../export-args.js';
import { COMPRESSED } from './compression.js';

/** A name a file system takes: no separators, control characters or leading dot (a hidden file). */
function fileNameOf(text: string): string {
  return text.replace(/[/\\\x00-\x1f\x7f]/g, '_').replace(/^\./, '_');
}

/** What the output is named after: the table, or the text file read (without its extensions); null for a query or stdin. */
function nameOf(args: ExportArgs): string | null {
  if (args.table !== null) return fileNameOf(args.table);
  if (args.query !== null || args.source === '-' || /^[a-z][a-z0-9+.-]*:/i.test(args.source) || /=/.test(args.source)) return null;
  const name = basename(args.source).replace(COMPRESSED, '').replace(/\.[^.]*$/, '');
  return name === '' ? null : fileNameOf(name);
}

/** The file -o names: the path given, or one inside the directory it names (named after the table or file). */
export function outputPath(args: ExportArgs): string {
  const given = args.output as string;
  const stats = statSync(given, { throwIfNoEntry: false });
  const directory = stats?.isDirectory() === true || given.endsWith('/');
  if (!directory) return given;
  if (stats === undefined) throw new SourceError(`cannot write ${given}: no such directory`);
  const name = nameOf(args);
  if (name === null) {
    throw new UsageError(`-o ${given} is a directory: the output is named after --table or the file read; name the file: -o ${join(given, `NAME${args.lines ? '.jsonl' : '.json'}`)}`);
  }
  return join(given, name + (args.lines ? '.jsonl' : '.json'));
}
