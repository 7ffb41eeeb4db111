/** The JSON values in parsed JSON, as DumpStats.values counts them: every scalar and container. */
export function countValues(v: unknown): number {
  if (Array.isArray(v)) return 1 + v.reduce((n: number, x) => n + countValues(x), 0);
  if (typeof v === 'object' && v !== null) return 1 + Object.values(v).reduce((n: number, x) => n + countValues(x), 0);
  return 1;
}
