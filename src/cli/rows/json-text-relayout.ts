// JSON text a driver hands over as a string (a MySQL or MariaDB JSON column) laid out again as
// the output asks by the library's byte re-encoder, as rows/json-relayout.ts does for
// PostgreSQL: no value is built (parsing each document into Maps and writing them back took
// most of the client's CPU and a third of it in the garbage collector on the 200k-row MariaDB
// mix of `node bench/export/run.js --jobs mysql`), numbers keep their text, and the value's
// lines are indented for the place it has in its record.
import { ReformatEncoder, JSONInputError } from '../../reformat/encoder.js';
import type { ReformatFormat } from '../../reformat/format.js';
import { resolveReformatOptions } from '../../reformat/reformat-options.js';
import type { RecordLayout } from '../records.js';

/** The re-encoder's format for the output's layout (the CLI checked the options). */
export function reformatFormat(layout: RecordLayout): ReformatFormat {
  const o = layout.options as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const name of ['indent', 'separators', 'ensureAscii', 'dialect', 'escapeHTML', 'escapeLineTerminators']) if (o[name] !== undefined) picked[name] = o[name];
  return resolveReformatOptions(picked, 'document').format;
}

export class JsonTextRelayout {
  private readonly encoders: ReformatEncoder[] = [];
  /** The output of the value being laid out (grown for a larger one). */
  private buf = Buffer.allocUnsafe(1 << 12);

  constructor(private readonly format: ReformatFormat) {}

  /** `json` laid out `depth` levels deep, or null when it is not JSON. */
  text(json: string, depth: number): string | null {
    const encoder = (this.encoders[depth] ??= new ReformatEncoder({ ...this.format, input: 'json', output: 'document', depth }));
    encoder.restart();
    const bytes = Buffer.from(json, 'utf8');
    let pos = 0;
    try {
      let at = 0;
      do {
        at = encoder.write(bytes, at);
        pos = this.drain(encoder, pos);
      } while (at < bytes.length);
      encoder.finish();
    } catch (error) {
      if (error instanceof JSONInputError) return null;
      throw error;
    }
    pos = this.drain(encoder, pos);
    return this.buf.toString('utf8', 0, pos);
  }

  private drain(encoder: ReformatEncoder, pos: number): number {
    const pending = encoder.pending;
    if (pending === 0) return pos;
    if (pos + pending > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, pos + pending));
      this.buf.copy(grown, 0, 0, pos);
      this.buf = grown;
    }
    return encoder.moveTo(this.buf, pos);
  }
}
