// The first and last key a shard wrote, read from the first and last record as written: the
// shard's manifest records them, and `manifest verify` checks them against the shard's range.
// Only these two records are parsed (the last one of each batch is kept, as bytes, until the
// next), so the export's speed is not touched. A key that the output leaves out (--columns
// without it, SQLite's rowid) is not seen: the manifest says null.
import { RawJSON } from '../../index.js';
import { recordFrame } from '../record-frame.js';
import type { RecordBatch, RecordLayout, Source } from '../records.js';
import { parseJson } from '../rows/json-text.js';
import type { KeyTuple, KeyValue } from './plan-file.js';

export interface SeenKeys {
  first: KeyTuple | null;
  last: KeyTuple | null;
}

/** A key value as the output wrote it: integers (numbers or, with --bigint string, digits) exact. */
function tagged(value: unknown): KeyValue | null {
  if (value instanceof RawJSON) return /^-?\d+$/.test(value.rawJSON) ? { integer: value.rawJSON } : { text: value.rawJSON };
  if (typeof value === 'string') return /^-?(?:0|[1-9]\d*)$/.test(value) ? { integer: value } : { text: value };
  return null; // NULL (the first shard's), or a BLOB written as an object
}

type Keys = (record: unknown) => KeyTuple | null;

/** How to take the key from a record: by member name, or by the header's positions (--arrays). */
function keysOf(names: string[], header: unknown): Keys {
  const take = (values: unknown[]) => {
    const tuple = values.map(tagged);
    return tuple.every((v) => v !== null) ? (tuple as KeyTuple) : null;
  };
  if (Array.isArray(header)) {
    const at = names.map((name) => header.indexOf(name));
    if (at.some((i) => i < 0)) return () => null;
    return (record) => (Array.isArray(record) ? take(at.map((i) => record[i])) : null);
  }
  return (record) => (record instanceof Map && names.every((n) => record.has(n)) ? take(names.map((n) => record.get(n))) : null);
}

/**
 * Wraps `source`: its batches pass through unchanged, and `seen()` tells the key of the first
 * and last record once they are all read. `arrays`: the first record is the header.
 */
export function watchKeys(source: Source, names: string[], arrays: boolean): { source: Source; seen: () => SeenKeys } {
  let firstText: string | null = null;
  let lastText: string | null = null;
  let headerText: string | null = null;
  const watched: Source = {
    get name() {
      return source.name;
    },
    get files() {
      return source.files;
    },
    get single() {
      return source.single;
    },
    fraction: () => source.fraction(),
    notes: () => source.notes(),
    close: () => source.close(),
    async *batches(layout: RecordLayout, signal: AbortSignal): AsyncGenerator<RecordBatch> {
      const skip = recordFrame(layout.options, layout.lines).separator.length;
      // records seen so far, the header included; the first row is record `rowStart`
      let records = 0;
      const rowStart = arrays ? 1 : 0;
      for await (const batch of source.batches(layout, signal)) {
        if (batch.kind === 'encoded' && batch.ends.length > 0) {
          const gap = batch.separated === true ? skip : 0;
          const text = (i: number) => {
            const start = (i === 0 ? 0 : batch.ends[i - 1]) + gap;
            return Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset + start, batch.ends[i] - start).toString('utf8');
          };
          const base = records;
          records += batch.ends.length;
          if (arrays && base === 0) headerText = text(0);
          if (records > rowStart) {
            if (firstText === null) firstText = text(rowStart - base);
            lastText = text(batch.ends.length - 1);
          }
        }
        yield batch;
      }
    },
  };
  return {
    source: watched,
    seen() {
      const keys = keysOf(names, headerText === null ? null : parseJson(headerText));
      const read = (text: string | null) => (text === null ? null : keys(parseJson(text)));
      return { first: read(firstText), last: read(lastText) };
    },
  };
}
