// Whether a process that left its pid in a file (a lock, a set of staged parts) still runs.

/** A process still running (or one this process cannot signal: another user's). */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
