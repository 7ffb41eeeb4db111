import { finished, pipeline } from 'node:stream/promises';
import { createFileWriteStream, dump, dumpLines, encodeTokens } from '../index.js';
import { resolveOptions, type DumpOptions, type DumpProgress } from '../options.js';
import { UsageError, type ExportArgs } from './args.js';
import { ProgressLine } from './progress.js';
import { openJson } from './sources/json.js';
import { openJsonLines } from './sources/jsonl.js';
import { openPostgres } from './sources/postgres.js';
import { openSqlite } from './sources/sqlite.js';
import { SourceError, type RecordSource, type Source, type TokenSource } from './sources/source.js';

export interface ExportContext {
  signal: AbortSignal;
  /** Where the progress line goes; null for none. */
  progress: NodeJS.WriteStream | null;
}

async function openSource(args: ExportArgs, options: DumpOptions, count: boolean): Promise<Source> {
  const { source, table, query } = args;
  if (source.startsWith('sqlite:')) return openSqlite({ path: source.slice('sqlite:'.length), table, query, count });
  if (/^postgres(ql)?:\/\//.test(source)) {
    const { itemSep, keySep } = resolveOptions(options);
    return openPostgres({ url: source, table, query, count, separators: [itemSep, keySep] });
  }
  if (table !== null || query !== null) throw new UsageError('--table and --query apply to database sources only');
  if (source === '-' || /\.(jsonl|ndjson)$/i.test(source)) return openJsonLines(source);
  if (/\.json$/i.test(source)) {
    if (args.sortKeys) throw new UsageError('--sort-keys cannot be used with a .json source: sorting needs whole objects in memory');
    return openJson(source);
  }
  throw new UsageError(`unknown source ${JSON.stringify(source)}: expected sqlite:PATH, postgres://…, FILE.jsonl, - or FILE.json`);
}

function libraryOptions(args: ExportArgs, signal: AbortSignal, onProgress: (p: DumpProgress) => void): DumpOptions {
  return {
    dialect: args.dialect,
    indent: args.indent,
    sortKeys: args.sortKeys,
    // absent rather than false, so that the dialect's default applies
    ensureAscii: args.ensureAscii || undefined,
    separators: args.separators ?? undefined,
    signal,
    onProgress,
  };
}

function writeRecords(source: RecordSource, args: ExportArgs, options: DumpOptions): Promise<DumpProgress> {
  const destination = args.output ?? process.stdout;
  return args.lines ? dumpLines(source.records, destination, options) : dump(source.records, destination, options);
}

async function writeTokens(source: TokenSource, args: ExportArgs, options: DumpOptions, signal: AbortSignal): Promise<void> {
  const encoder = encodeTokens({ ...options, lines: args.lines });
  const out = args.output !== null ? createFileWriteStream(args.output) : process.stdout;
  try {
    await pipeline(source.tokens, encoder, out, { signal });
  } catch (error) {
    // pipeline may settle before the file's destroy() has removed the temporary file
    if (out !== process.stdout) await finished(out).catch(() => {});
    // stream-json's syntax errors name neither the file nor the problem's origin
    if (error instanceof Error && error.message.startsWith('Parser ')) throw new SourceError(`${args.source}: ${error.message}`);
    throw error;
  }
}

/** Runs `jsondump export`; resolves with what was written. */
export async function runExport(args: ExportArgs, context: ExportContext): Promise<DumpProgress> {
  let progress: ProgressLine | null = null;
  let stats: DumpProgress = { bytes: 0, values: 0, items: 0 };
  const onProgress = (p: DumpProgress) => {
    stats = p;
    progress?.update(p);
  };
  const options = libraryOptions(args, context.signal, onProgress);
  const source = await openSource(args, options, context.progress !== null);
  if (context.progress !== null) progress = new ProgressLine(context.progress, source.done);
  try {
    if (source.kind === 'records') stats = await writeRecords(source, args, options);
    else await writeTokens(source, args, options, context.signal);
    return stats;
  } finally {
    progress?.finish();
    await source.close();
  }
}
