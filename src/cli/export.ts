// `jsondump export`: open the source, then write its records where -o says, or nowhere on failure.
import { statSync } from 'node:fs';
import { JSONDumpError, type DumpOptions } from '../index.js';
import { untilAborted, whenAborted } from '../interruptible.js';
import { UsageError } from './errors.js';
import type { ExportArgs } from './export-args.js';
import { compressorFor } from './output/compression.js';
import { recordFrame, type RecordFrame } from './record-frame.js';
import { takeHeader, withHeader } from './output/header.js';
import { outputPath } from './output/output-path.js';
import { partNames, singleTarget, splitTarget, type Target } from './output/targets.js';
import { RecordWriter } from './output/record-writer.js';
import { counted, formatCount, ProgressLine } from './progress.js';
import { openSource } from './sources/source-kinds.js';
import { type RecordBatch, type RecordLayout, type Source } from './records.js';
import { SourceError } from './errors.js';

export interface ExportContext {
  signal: AbortSignal;
  /** Where the progress line goes; null for none. */
  progress: NodeJS.WriteStream | null;
  /** Opens the source (default: the registry's kind for `args.source`). */
  openSource?: (args: ExportArgs, signal: AbortSignal) => Promise<Source>;
  /** Where the documents go (default: -o's file or split set); `guard` refuses a path the source reads. */
  target?: (args: ExportArgs, guard: (path: string) => void) => Promise<Target>;
}

export interface ExportResult {
  rows: number;
  /** JSON bytes written (before compression). */
  bytes: number;
  /** Where they went: the file, the parts, or stdout. */
  destination: string;
  /** The source's notes for the summary. */
  notes: string[];
}

/** The library options the flags ask for; options left at their default are left out. */
export function libraryOptions(args: ExportArgs): DumpOptions {
  // Only what was asked for: the library refuses canonical together with any layout option
  // that is present, even at its default (sortKeys: false).
  const options: DumpOptions & Record<string, unknown> = { dialect: args.dialect };
  if (args.indent !== null) options.indent = args.indent;
  if (args.sortKeys) options.sortKeys = true;
  if (args.separators !== null) options.separators = args.separators;
  if (args.ensureAscii !== null) options.ensureAscii = args.ensureAscii;
  if (args.escapeHTML) options.escapeHTML = true;
  if (args.canonical) options.canonical = true;
  if (args.bigint !== 'number') options.bigint = args.bigint;
  if (args.allowNaN !== null) options.allowNaN = args.allowNaN;
  return options;
}

/** The frame of the output; options the library refuses are bad usage. */
export function frameOf(options: DumpOptions, lines: boolean): RecordFrame {
  try {
    return recordFrame(options, lines);
  } catch (error) {
    if (error instanceof JSONDumpError && error.code === 'ERR_BAD_OPTION') throw new UsageError(error.message.replace(/ at \$$/, ''));
    throw error;
  }
}

function toStdout(args: ExportArgs): boolean {
  return args.output === null || args.output === '-';
}

/** Throws if `path` is one of the files `source` reads (same inode: links and other spellings too). */
function guardAgainst(source: Source): (path: string) => void {
  const inputs = source.files.map((file) => statSync(file, { throwIfNoEntry: false })).filter((s) => s !== undefined);
  return (path) => {
    const out = statSync(path, { throwIfNoEntry: false });
    if (out !== undefined && inputs.some((s) => s.dev === out.dev && s.ino === out.ino)) {
      throw new UsageError(`-o ${path} is a file the source reads: write the output somewhere else`);
    }
  };
}

async function targetOf(args: ExportArgs, guard: (path: string) => void): Promise<Target> {
  if (toStdout(args)) return singleTarget(null, args.atomic);
  const output = args.output as string;
  if (args.splitRows === null && args.splitBytes === null) {
    guard(output);
    return singleTarget(output, args.atomic);
  }
  // The parts are named after -o and put beside it: a pipe or device there has no beside
  const stats = statSync(output, { throwIfNoEntry: false });
  if (stats !== undefined && !stats.isFile()) {
    throw new UsageError(`--split-${args.splitRows !== null ? 'rows' : 'bytes'} writes numbered files beside -o FILE, and ${output} is not a file or a directory`);
  }
  guard(partNames(output).manifest);
  return splitTarget(output, args.atomic, guard);
}

/** Throws unless `rows` meets --assert-rows / --min-rows. */
function checkRows(args: ExportArgs): (rows: number) => void {
  return (rows) => {
    if (args.assertRows !== null && rows !== args.assertRows) {
      throw new SourceError(`${counted(rows, 'record')}, not the ${formatCount(args.assertRows)} that --assert-rows expects: nothing written`);
    }
    if (args.minRows !== null && rows < args.minRows) {
      throw new SourceError(`${counted(rows, 'record')}, fewer than the ${formatCount(args.minRows)} that --min-rows expects: nothing written`);
    }
  };
}

/** Opens the source; aborting gives up waiting (and closes the source should it open later). */
function open(args: ExportArgs, signal: AbortSignal, opener = openSource): Promise<Source> {
  signal.throwIfAborted();
  const opening = opener(args, signal);
  const aborted = whenAborted(signal, () => opening.then((source) => source.close(), () => {}));
  return Promise.race([opening, aborted.promise]).finally(() => aborted.dispose());
}

function destinationOf(args: ExportArgs): string {
  if (toStdout(args)) return 'stdout';
  if (args.splitRows === null && args.splitBytes === null) return args.output as string;
  const names = partNames(args.output as string);
  return `${names.part(1)}, … and ${names.manifest}`;
}

/** Runs `jsondump export`; resolves with what was written. */
export async function runExport(given: ExportArgs, context: ExportContext): Promise<ExportResult> {
  const { signal } = context;
  // -o DIR: a file inside it, named after what is exported
  const args = toStdout(given) ? given : { ...given, output: outputPath(given) };
  const options = libraryOptions(args);
  const frame = frameOf(options, args.lines);
  if (!toStdout(args)) compressorFor(args.output as string); // .zst without zstd: refused before anything opens
  const source = await open(args, signal, context.openSource);
  const progress = context.progress === null ? null : new ProgressLine(context.progress, () => source.fraction());
  let target: Target | null = null;
  try {
    target = await (context.target ?? targetOf)(args, guardAgainst(source));
    const layout: RecordLayout = { options, lines: args.lines };
    // Aborting ends a wait for the next batch at once, even if the source does not listen
    const records = untilAborted<RecordBatch>(source.batches(layout, signal), signal);
    // --arrays (database sources only): the first record is the header, not a row
    const { header, rest } = args.arrays ? await takeHeader(records) : { header: null, rest: records };
    const writer = new RecordWriter(header === null ? frame : withHeader(frame, header), target, {
      splitRows: args.splitRows,
      splitBytes: args.splitBytes,
      maxBytes: args.maxBytes,
      check: checkRows(args),
      finalNewline: toStdout(args),
      onProgress: (rows, bytes) => progress?.update(rows, bytes),
    });
    await writer.write(rest, source, signal);
    progress?.finish(writer.rows, writer.bytes);
    return { rows: writer.rows, bytes: writer.bytes, destination: destinationOf(args), notes: [...source.notes(), ...(target.notes?.() ?? [])] };
  } catch (error) {
    progress?.clear();
    await target?.abort();
    throw error;
  } finally {
    await source.close();
  }
}
