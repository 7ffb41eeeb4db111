// Records the process events a test must not cause (unhandled rejections, warnings, uncaught
// exceptions), and timers to let them come out.
import { afterEach, beforeEach } from 'vitest';

export interface ProcessEvents {
  unhandled: unknown[];
  warnings: Error[];
  /** Only filled with `{ uncaught: true }`. */
  uncaught: unknown[];
}

/**
 * Listens, around every test (beforeEach/afterEach), for 'unhandledRejection' and 'warning'
 * and, with `uncaught`, 'uncaughtException'; the arrays are emptied before each test.
 */
export function recordProcessEvents(opts: { uncaught?: boolean } = {}): ProcessEvents {
  const events: ProcessEvents = { unhandled: [], warnings: [], uncaught: [] };
  const onUnhandled = (e: unknown): void => void events.unhandled.push(e);
  const onWarning = (w: Error): void => void events.warnings.push(w);
  const onUncaught = (e: unknown): void => void events.uncaught.push(e);
  beforeEach(() => {
    events.unhandled.length = 0;
    events.warnings.length = 0;
    events.uncaught.length = 0;
    process.on('unhandledRejection', onUnhandled);
    process.on('warning', onWarning);
    if (opts.uncaught) process.on('uncaughtException', onUncaught);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    process.off('warning', onWarning);
    if (opts.uncaught) process.off('uncaughtException', onUncaught);
  });
  return events;
}

export const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Lets pending events, microtasks and warnings come out. */
export const settle = async (): Promise<void> => {
  await tick(30);
  await new Promise((r) => setImmediate(r));
};
