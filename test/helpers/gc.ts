// V8's gc(), for the tests that bound what a dump retains: the heap is read after a full
// collection, so the figure is what is kept, not what is waiting to be collected.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

function exposeGc(): (() => void) | null {
  try {
    // at run time, so that `npm test` needs no --expose-gc flag on its workers
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null; // a runtime without V8's flags (Bun, Deno): the tests use looser bounds
  }
}

/** A full garbage collection, or null where the runtime offers none. */
export const gc: (() => void) | null = exposeGc();
