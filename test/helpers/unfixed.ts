// Inputs the library still gets wrong, each a reported defect with a failing test of its own:
// the fuzz tests skip them (fc.pre) so that `npm test` stays green while the rest is fuzzed.
// Remove an entry with its fix; `npm run fuzz -- --all` runs them anyway.

type Opts = Record<string, unknown>;

const ensureAscii = (o: Opts): boolean => (o.ensureAscii as boolean | undefined) ?? o.dialect === 'python';
const indentString = (o: Opts): string | null => (typeof o.indent === 'string' ? o.indent : null);

export const UNFIXED: Record<string, (o: Opts) => boolean> = {
  // The re-indent of natively written parts rewrites the indent's own "\n".
  'indent with a line break': (o) => indentString(o)?.includes('\n') ?? false,
  // The natively written parts cut the indent at U+0000, as V8's JSON.stringify does.
  'indent with U+0000': (o) => indentString(o)?.includes('\u0000') ?? false,
  // ensureAscii escapes the indent's own characters (json.dumps writes the indent as given).
  'non-ASCII indent under ensureAscii': (o) => ensureAscii(o) && /[^\x00-\x7e]/.test(indentString(o) ?? ''),
};

/** True when the fuzz script was asked to run the unfixed inputs too. */
const RUN_ALL = process.env.JSONDUMP_FUZZ_ALL === '1';

/** The name of the unfixed defect these options hit, or null (always null with `--all`). */
export function unfixed(options: object): string | null {
  if (RUN_ALL) return null;
  for (const [name, hits] of Object.entries(UNFIXED)) if (hits(options as Opts)) return name;
  return null;
}
