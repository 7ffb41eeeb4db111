// The progress line on stderr: rows, bytes, rows/s, elapsed, and with a known total a
// percentage and ETA. Redrawn at most ten times a second.

import type { DumpProgress } from '../options.js';

const REDRAW_MS = 100;

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  const text = hms.map((n) => String(n).padStart(2, '0')).join(':');
  return hms[0] === 0 ? text.slice(3) : text;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (bytes >= 1000 && i < units.length - 1) {
    bytes /= 1000;
    i++;
  }
  return `${i === 0 ? bytes : bytes.toFixed(1)} ${units[i]}`;
}

const grouped = new Intl.NumberFormat('en-US');

/** 1234567 → '1,234,567'. */
export function formatCount(n: number): string {
  return grouped.format(n);
}

export class ProgressLine {
  private readonly started = Date.now();
  private lastDraw = 0;
  private last: DumpProgress = { bytes: 0, values: 0, items: 0 };

  /** `done(items)` is the fraction of the source read, or null when the total is unknown. */
  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly done: (items: number) => number | null,
  ) {}

  update(progress: DumpProgress): void {
    this.last = progress;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.draw(now);
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    this.draw(Date.now());
    this.out.write('\n');
  }

  private draw(now: number): void {
    const elapsed = now - this.started;
    const { items, bytes } = this.last;
    const rate = elapsed > 0 ? Math.round((items * 1000) / elapsed) : 0;
    const parts = [`${formatCount(items)} rows`, formatBytes(bytes), `${formatCount(rate)} rows/s`, duration(elapsed)];
    const fraction = this.done(items);
    if (fraction !== null) {
      parts.push(`${(fraction * 100).toFixed(1)}%`);
      if (fraction > 0 && fraction < 1) parts.push(`ETA ${duration((elapsed * (1 - fraction)) / fraction)}`);
    }
    // \r returns to the start of the line, \x1b[K clears what a longer previous line left
    this.out.write(`\r${parts.join('  ')}\x1b[K`);
  }
}
