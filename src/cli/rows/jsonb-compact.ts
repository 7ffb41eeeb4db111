// jsonb's text made compact by dropping the spaces its output function puts after ',' and ':'.
// PostgreSQL writes a jsonb value in one fixed shape (jsonb_out, JsonbToCStringWorker without
// indentation): members and elements separated by ", ", keys followed by ": ", no other white
// space outside strings, and strings escaped by escape_json exactly as JSON.stringify escapes
// them (\" \\ \b \f \n \r \t, \u00XX in lowercase hex for the other controls, every other
// character as it is; jsonb holds no \u0000). So for the compact layout that escapes nothing
// more (no ensureAscii, escapeHTML or escapeLineTerminators), the output is the server's text
// less every space outside strings: one pass over the bytes, no grammar to check (the server
// wrote it), where the general re-encoder (json-relayout.ts) took most of the client's time on a
// table with a jsonb column (`node bench/export/run.js --jobs postgres`, the everyday mix).
// Every other layout, and json (the user's own text, white space anywhere), keeps the general
// re-encoder.
import type { ReformatFormat } from '../../reformat/format.js';
import type { RecordBytes } from './record-bytes.js';

const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether jsonb text written in `format` is the server's text less its spaces outside strings. */
export function compactsJsonb(format: ReformatFormat): boolean {
  return format.indent === null && format.itemSep === ',' && format.keySep === ':' && !format.ensureAscii && !format.escapeHTML && !format.escapeLineTerminators;
}

/**
 * Writes jsonb text, whole (`write`) or in pieces cut anywhere (`begin`, `part`…): the state
 * between pieces is whether the cut fell inside a string, and after a backslash there.
 */
export class JsonbCompact {
  private inString = false;
  private escaped = false;

  /** The whole text data[start, end). */
  write(data: Uint8Array, start: number, end: number, out: RecordBytes): void {
    this.begin();
    this.part(data, start, end, out);
  }

  /** Starts a value that comes in pieces. */
  begin(): void {
    this.inString = false;
    this.escaped = false;
  }

  /** The next piece of the value begun (the output is never longer than the piece). */
  part(data: Uint8Array, start: number, end: number, out: RecordBytes): void {
    out.ensure(end - start);
    const buf = out.buf;
    let pos = out.pos;
    let i = start;
    let inString = this.inString;
    if (this.escaped && i < end) {
      buf[pos++] = data[i++];
      this.escaped = false;
    }
    while (i < end) {
      const c = data[i++];
      if (!inString) {
        if (c === SPACE) continue;
        buf[pos++] = c;
        if (c === QUOTE) inString = true;
        continue;
      }
      buf[pos++] = c;
      if (c === QUOTE) inString = false;
      else if (c === BACKSLASH) {
        if (i < end) buf[pos++] = data[i++];
        else this.escaped = true;
      }
    }
    this.inString = inString;
    out.pos = pos;
  }
}
