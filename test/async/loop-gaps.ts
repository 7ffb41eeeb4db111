// The event loop's longest gap while something runs: a 5 ms interval notes when it fires late.

/** A meter of the event loop's longest gap, from now until stop(). */
export class LoopGaps {
  private last = performance.now();
  private max = 0;
  private readonly timer = setInterval(() => this.note(), 5);

  /** The longest gap so far, the one still open included (ms). */
  longest(): number {
    return Math.max(this.max, performance.now() - this.last);
  }

  stop(): number {
    clearInterval(this.timer);
    return this.longest();
  }

  private note(): void {
    const now = performance.now();
    this.max = Math.max(this.max, now - this.last);
    this.last = now;
  }
}
