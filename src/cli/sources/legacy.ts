// The sources as they were (records or stream-json tokens), adapted to `SourceKind` until each
// implements it itself. Each adapter goes when its source does.
import { encodeTokens } from '../../index.js';
import { UsageError, type ExportArgs } from '../args.js';
import { openJson } from './json.js';
import { openJsonLines } from './jsonl.js';
import { SourceError, type RecordBatch, type RecordLayout, type RecordSource, type Source, type SourceKind, type TokenSource } from './source.js';

// Records per batch: enough to amortise a write, few enough to keep memory small.
const BATCH_RECORDS = 256;

async function* recordBatches(records: RecordSource['records'], counted: (n: number) => void, signal: AbortSignal): AsyncGenerator<RecordBatch> {
  let values: unknown[] = [];
  for await (const record of records) {
    values.push(record);
    if (values.length < BATCH_RECORDS) continue;
    signal.throwIfAborted();
    counted(values.length);
    yield { kind: 'values', values };
    values = [];
  }
  if (values.length > 0) {
    counted(values.length);
    yield { kind: 'values', values };
  }
}

function recordsSource(name: string, files: string[], source: RecordSource): Source {
  let items = 0;
  let closed: Promise<void> | null = null;
  return {
    name,
    files,
    single: false,
    batches: (_layout, signal) => recordBatches(source.records, (n) => (items += n), signal),
    fraction: () => source.done(items),
    notes: () => [],
    close: () => (closed ??= source.close().catch(() => {})),
  };
}

/** The re-encoded document as one value, written bare; a JSON Lines document without its last newline. */
async function* tokenBatches(source: TokenSource, name: string, layout: RecordLayout, signal: AbortSignal): AsyncGenerator<RecordBatch> {
  const encoder = source.tokens.pipe(encodeTokens({ ...layout.options, lines: layout.lines }));
  source.tokens.on('error', (error) => encoder.destroy(error));
  let held = '';
  try {
    for await (const text of encoder as AsyncIterable<string>) {
      signal.throwIfAborted();
      const all = held + text;
      const keep = layout.lines ? 1 : 0;
      held = all.slice(all.length - keep);
      yield { kind: 'encoded', bytes: Buffer.from(all.slice(0, all.length - keep)), ends: [] };
    }
  } catch (error) {
    // stream-json's syntax errors name neither the file nor the problem's origin
    if (error instanceof Error && error.message.startsWith('Parser ')) throw new SourceError(`${name}: ${error.message}`);
    throw error;
  }
  if (held !== '\n') yield { kind: 'encoded', bytes: Buffer.from(held), ends: [] };
  yield { kind: 'encoded', bytes: new Uint8Array(0), ends: [0] };
}

function tokenSource(name: string, files: string[], source: TokenSource): Source {
  let closed: Promise<void> | null = null;
  return {
    name,
    files,
    single: true,
    batches: (layout, signal) => tokenBatches(source, name, layout, signal),
    fraction: () => source.done(0),
    notes: () => [],
    close: () => (closed ??= source.close().catch(() => {})),
  };
}

function noTableOrQuery(args: ExportArgs): void {
  if (args.table !== null || args.query !== null) throw new UsageError('--table and --query apply to database sources only');
}

export const legacyJsonLines: SourceKind = {
  matches: (source, args) => args.from !== 'json' && (source === '-' || /\.(jsonl|ndjson)$/i.test(source)),
  open: async (args) => {
    noTableOrQuery(args);
    const name = args.source === '-' ? 'stdin' : args.source;
    return recordsSource(name, args.source === '-' ? [] : [args.source], openJsonLines(args.source));
  },
};

export const legacyJson: SourceKind = {
  matches: (source, args) => args.from === 'json' || /\.json$/i.test(source),
  open: async (args) => {
    noTableOrQuery(args);
    if (args.sortKeys) throw new UsageError('--sort-keys cannot be used with a .json source: sorting needs whole objects in memory');
    if (args.source === '-') throw new UsageError('--from json on stdin needs the new JSON source');
    return tokenSource(args.source, [args.source], openJson(args.source));
  },
};
