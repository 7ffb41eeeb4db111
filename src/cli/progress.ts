// The progress line on stderr (a terminal only): rows, bytes, and with a known total a
// percentage and ETA; rate and elapsed time when the terminal is wide enough. Redrawn at most
// ten times a second, never wider than the terminal (a wrapped line would scroll).

const REDRAW_MS = 100;
// An ETA from the first instants swings wildly: shown once this much time and work are behind
const ETA_AFTER_MS = 3000;
const ETA_AFTER_FRACTION = 0.02;

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

/** `n` things, grouped by thousands, the noun agreeing: '1 row', '1,234 rows'. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The parts of the line, in display order, each with its rank: the lowest goes first when space runs out. */
export function progressParts(rows: number, bytes: number, elapsed: number, fraction: number | null): [string, number][] {
  const rate = elapsed > 0 ? Math.round((rows * 1000) / elapsed) : 0;
  const parts: [string, number][] = [
    [counted(rows, 'row'), 9],
    [formatBytes(bytes), 7],
  ];
  if (fraction !== null) {
    parts.push([`${(fraction * 100).toFixed(1)}%`, 8]);
    if (elapsed >= ETA_AFTER_MS && fraction >= ETA_AFTER_FRACTION && fraction < 1) {
      parts.push([`ETA ${duration((elapsed * (1 - fraction)) / fraction)}`, 6]);
    }
  }
  parts.push([`${formatCount(rate)} rows/s`, 5], [duration(elapsed), 4]);
  return parts;
}

/** The parts joined, dropping the lowest ranked until the line fits in `width` columns. */
export function fitLine(parts: [string, number][], width: number): string {
  const kept = [...parts];
  let line = kept.map(([text]) => text).join('  ');
  while (line.length > width && kept.length > 1) {
    const lowest = kept.reduce((low, part, i) => (part[1] < kept[low][1] ? i : low), 0);
    kept.splice(lowest, 1);
    line = kept.map(([text]) => text).join('  ');
  }
  return line.slice(0, Math.max(0, width));
}

export class ProgressLine {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;
  /** A terminal that takes no escape sequence (TERM=dumb): a shorter line is padded with spaces instead. */
  private readonly plain = process.env.TERM === 'dumb';
  /** Columns the last line drawn took. */
  private width = 0;

  /** `fraction()` is the fraction of the source read, or null when the total is unknown. */
  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly fraction: () => number | null,
  ) {}

  update(rows: number, bytes: number): void {
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.draw(rows, bytes, now);
  }

  /** Draws the final state and ends the line. */
  finish(rows: number, bytes: number): void {
    this.draw(rows, bytes, Date.now());
    this.out.write('\n');
  }

  /** Erases the line, for a message in its place. */
  clear(): void {
    if (!this.drawn) return;
    this.out.write(this.plain ? `\r${' '.repeat(this.width)}\r` : '\r\x1b[K');
  }

  private draw(rows: number, bytes: number, now: number): void {
    // The last column stays free: writing into it makes some terminals wrap
    const width = (this.out.columns || 80) - 1;
    const line = fitLine(progressParts(rows, bytes, now - this.started, this.fraction()), width);
    // \r returns to the start of the line; \x1b[K (or spaces) clears what a longer previous line left
    const rest = this.plain ? ' '.repeat(Math.max(0, this.width - line.length)) : '\x1b[K';
    this.out.write(`\r${line}${rest}`);
    this.width = line.length;
    this.drawn = true;
  }
}
