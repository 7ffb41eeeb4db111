// Records: what the re-encoder does with the elements of a top-level array (or the lines of
// JSON Lines input) when they are not written as one document. In 'lines' output each record is
// written compact on a line of its own; in 'records' output (the CLI's text sources) the records
// are laid out as elements of the top-level array, back to back, and their ends noted, so that a
// writer adds the brackets and separators and may cut the output between records.

import { NEWLINE } from '../text/json-bytes.js';
import type { ReformatFormat } from './format.js';
import { LayoutBytes } from './layout-bytes.js';
import { St } from './states.js';
import { StringStates } from './string-states.js';

export abstract class RecordStates extends StringStates {
  /** JSON values written so far, at every depth (a top-level array that is not written is not counted). */
  values = 0;
  /** Elements of the top-level array (or records of JSON Lines input) completed so far. */
  items = 0;
  /** Records and lines output: the top-level value is not an array, so it is one record. */
  single = false;

  protected readonly layout: LayoutBytes;
  protected readonly jsonl: boolean;
  /** The top-level array (or JSON Lines' implicit one) holds records: it is not written itself. */
  protected recordsTop = false;
  /** Record ends noted in the output not yet taken (records output). */
  private ends: number[] = [];

  constructor(format: ReformatFormat, pauseAt: number) {
    super(format, pauseAt);
    this.layout = new LayoutBytes(format);
    this.jsonl = format.input === 'jsonl';
  }

  /** Records output: the output so far and where each record in it ends (see RecordOutput). */
  takeRecords(): { bytes: Uint8Array; ends: number[] } {
    const ends = this.ends;
    this.ends = [];
    return { bytes: this.take(), ends };
  }

  /** The value that ended closed a container or a scalar: the states after it (structure). */
  protected abstract endValue(): void;
  /** A value starts at buf[i], after `prefix` (structure). */
  protected abstract value(buf: Uint8Array, i: number, prefix: Uint8Array | null): number;
  protected abstract skipSpace(buf: Uint8Array, i: number): number;
  protected abstract lineBreak(buf: Uint8Array, i: number): number;

  protected inRecordsTop(): boolean {
    return this.recordsTop && this.depth === 1;
  }

  /**
   * A value ends before buf[next] (null: at the end of the input, all of it copied); when it is
   * a record, lines output writes its line break and records output notes its end.
   */
  protected endValueAt(buf: Uint8Array | null, next: number): void {
    this.endValue();
    if (this.f.output === 'document') return;
    if (!((this.inRecordsTop() && this.state === St.After) || (this.depth === 0 && this.single))) return;
    if (buf !== null) {
      if (this.span >= 0) this.copy(buf, this.span, next);
      this.span = next;
    }
    if (this.f.output === 'lines') this.writeByte(NEWLINE);
    else this.ends.push(this.pos);
  }

  /** JSON Lines input, between records: a record, a blank line or the end. */
  protected nextRecord(buf: Uint8Array, i: number): number {
    const c = buf[i];
    if (c === NEWLINE) return this.lineBreak(buf, i);
    if (c === 0x20 || c === 0x09 || c === 0x0d) return this.skipSpace(buf, i);
    const layout = this.layout;
    let prefix: Uint8Array | null = null;
    if (!this.recordsTop && this.items > 0) prefix = layout.indent === null ? layout.itemSep : layout.separatorLine(this.depth);
    else if (!this.recordsTop && layout.indent !== null) prefix = layout.newline(1);
    return this.value(buf, i, prefix);
  }

  /** The end of JSON Lines input: the array it is read as is closed (document output). */
  protected closeJsonLines(): void {
    this.depth = 0;
    this.state = St.End;
    if (this.recordsTop) return;
    if (this.items > 0 && this.layout.indent !== null) this.writeBytes(this.layout.newline(0));
    this.writeByte(0x5d);
    this.values++;
  }
}
