// The text of one column value. Drivers hand over null, booleans, numbers, bigints (integers
// past 2^53), strings, bytes (Uint8Array), exact numbers (RawJSON) and parsed JSON; each is
// written as the library writes it with the output's options, bytes as --blob asks.
import { dumps, type DumpOptions } from '../../index.js';
import { textOptions, valueText } from './layout.js';

export type BlobFormat = 'base64' | 'hex' | 'object';

/** Bytes as --blob asks: a base64 or hex string, or sqlite-utils' {"$base64": "…"}. */
export function blobValue(bytes: Uint8Array, format: BlobFormat): unknown {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'hex') return buffer.toString('hex');
  const base64 = buffer.toString('base64');
  return format === 'object' ? new Map([['$base64', base64]]) : base64;
}

/**
 * Options under which JSON.stringify writes strings, finite numbers, booleans and null exactly
 * as the library does (its 'js' dialect defaults): then those need no library call.
 */
export function nativeScalars(options: DumpOptions): boolean {
  const o = options as Record<string, unknown>;
  return (
    (o.dialect === undefined || o.dialect === 'js') &&
    !o.ensureAscii && !o.escapeHTML && !o.escapeLineTerminators && !o.canonical &&
    (o.bigint === undefined || o.bigint === 'number') &&
    o.allowNaN === undefined
  );
}

/** Encodes one value at a given depth with the output's options. */
export class ValueEncoder {
  readonly options: DumpOptions;
  readonly native: boolean;

  constructor(
    options: DumpOptions,
    private readonly blob: BlobFormat,
    private readonly depth: number,
  ) {
    this.options = textOptions(options);
    this.native = nativeScalars(this.options);
  }

  text(value: unknown): string {
    if (this.native) {
      switch (typeof value) {
        case 'string':
        case 'number':
        case 'boolean':
          return JSON.stringify(value);
        case 'bigint':
          return String(value);
      }
      if (value === null) return 'null';
    }
    if (value instanceof Uint8Array) value = blobValue(value, this.blob);
    if (typeof value === 'object' && value !== null && !(value instanceof Map || Array.isArray(value))) {
      return dumps(value, this.options); // RawJSON: one token
    }
    if (typeof value !== 'object' || value === null) return dumps(value, this.options);
    return valueText(value, this.depth, this.options);
  }
}
