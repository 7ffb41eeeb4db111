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
// Every other layout keeps the general re-encoder. json (the user's own text, white space
// anywhere) gets a pass of its own (`compactJson`), and the re-encoder where that is not enough.
import type { ReformatFormat } from '../../reformat/format.js';
import type { RecordBytes } from './record-bytes.js';

// The byte machine as a table: for each state (0: outside strings, 1: inside one, 2: after a
// backslash there) and byte, whether the byte is kept (bit 0) and the next state (bits 1-2).
// Branch-free, it took about 5 ns a byte where the same machine in if/else took 7
// (a 160-byte jsonb object, 200,000 times, CPU time on the shared bench machine).
const OUTSIDE = 0;
const INSIDE = 1;
const ESCAPED = 2;
const KEEP = 1;
const STEPS = new Uint8Array(3 * 256);
for (let c = 0; c < 256; c++) {
  STEPS[(OUTSIDE << 8) | c] = c === 0x20 ? OUTSIDE << 1 : c === 0x22 ? (INSIDE << 1) | KEEP : (OUTSIDE << 1) | KEEP;
  STEPS[(INSIDE << 8) | c] = c === 0x22 ? (OUTSIDE << 1) | KEEP : c === 0x5c ? (ESCAPED << 1) | KEEP : (INSIDE << 1) | KEEP;
  STEPS[(ESCAPED << 8) | c] = (INSIDE << 1) | KEEP;
}

/** Whether jsonb text written in `format` is the server's text less its spaces outside strings. */
export function compactsJsonb(format: ReformatFormat): boolean {
  return format.indent === null && format.itemSep === ',' && format.keySep === ':' && !format.ensureAscii && !format.escapeHTML && !format.escapeLineTerminators;
}

/**
 * Writes jsonb text, whole (`write`) or in pieces cut anywhere (`begin`, `part`…): the state
 * between pieces is whether the cut fell inside a string, and after a backslash there.
 */
export class JsonbCompact {
  private state = OUTSIDE;

  /** The whole text data[start, end). */
  write(data: Uint8Array, start: number, end: number, out: RecordBytes): void {
    this.state = OUTSIDE;
    this.part(data, start, end, out);
  }

  /** Starts a value that comes in pieces. */
  begin(): void {
    this.state = OUTSIDE;
  }

  /** The next piece of the value begun (the output is never longer than the piece). */
  part(data: Uint8Array, start: number, end: number, out: RecordBytes): void {
    out.ensure(end - start);
    const buf = out.buf;
    let pos = out.pos;
    let state = this.state;
    for (let i = start; i < end; i++) {
      const c = data[i];
      const step = STEPS[(state << 8) | c];
      buf[pos] = c; // overwritten by the next byte when not kept
      pos += step & KEEP;
      state = step >> 1;
    }
    this.state = state;
    out.pos = pos;
  }
}

// Escapes JSON.stringify writes as they are: \" \\ \b \f \n \r \t.
const KEPT_ESCAPES = new Uint8Array(256);
for (const c of '"\\bfnrt') KEPT_ESCAPES[c.charCodeAt(0)] = 1;

/**
 * A json value (the user's own text, checked by the server when stored) made compact in one
 * pass, when that is all it needs: white space outside strings dropped, strings as they are
 * unless they hold an escape JSON.stringify writes otherwise (\/ or \uXXXX), in which case
 * nothing is kept and false is returned (the caller then runs the general re-encoder). On the
 * mostly-json table of `node bench/export/run.js --jobs postgres` the re-encoder took about a
 * fifth of the client's CPU for its json column.
 */
export function compactJson(data: Uint8Array, start: number, end: number, out: RecordBytes): boolean {
  out.ensure(end - start);
  const buf = out.buf;
  let pos = out.pos;
  let i = start;
  while (i < end) {
    const c = data[i++];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    buf[pos++] = c;
    if (c !== 0x22) continue;
    while (i < end) {
      const d = data[i++];
      buf[pos++] = d;
      if (d === 0x22) break;
      if (d === 0x5c) {
        if (i === end || KEPT_ESCAPES[data[i]] === 0) return false;
        buf[pos++] = data[i++];
      }
    }
  }
  out.pos = pos;
  return true;
}
