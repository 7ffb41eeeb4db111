// The event loop's longest gap while something runs: a 5 ms interval notes when it fires late.
// On a busy machine a gap also holds the time the process was not running at all, so each gap
// is measured twice: its wall time, and the main thread's CPU time in it (Linux: the thread's
// schedstat, as bench/turns.js reads it), which is how long the code itself held the loop.

import fs from 'node:fs';

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;

/** CPU time of the main thread so far, in ms; null where the system does not tell it. */
function mainCpuMs(): number | null {
  try {
    return Number(fs.readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/** A meter of the event loop's longest gap, from now until stop(). */
export class LoopGaps {
  private last = performance.now();
  private lastCpu = mainCpuMs();
  private max = 0;
  private maxCpu = 0;
  private readonly timer = setInterval(() => this.note(), 5);

  /** The longest gap so far in wall time, the one still open included (ms). */
  longest(): number {
    return Math.max(this.max, performance.now() - this.last);
  }

  /** The most CPU time the main thread spent in one gap, the one still open included (ms; wall time where CPU time is not known). */
  longestHeld(): number {
    const cpu = mainCpuMs();
    if (cpu === null || this.lastCpu === null) return this.longest();
    return Math.max(this.maxCpu, cpu - this.lastCpu);
  }

  stop(): { wall: number; held: number } {
    clearInterval(this.timer);
    return { wall: this.longest(), held: this.longestHeld() };
  }

  private note(): void {
    const now = performance.now();
    const cpu = mainCpuMs();
    this.max = Math.max(this.max, now - this.last);
    if (cpu !== null && this.lastCpu !== null) this.maxCpu = Math.max(this.maxCpu, cpu - this.lastCpu);
    this.last = now;
    this.lastCpu = cpu;
  }
}
