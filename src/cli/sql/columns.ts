// Result column names made unique: a repeated name gets _2, _3, … (the first keeps its name),
// so that a record never holds two members of one name and no value is lost.
import { counted } from '../progress.js';
import { WARNING } from '../records.js';

export interface UniqueColumns {
  names: string[];
  /** "id → id_2" for each renamed column, for the closing summary. */
  renamed: string[];
}

export function uniqueColumns(names: readonly string[]): UniqueColumns {
  const taken = new Set(names);
  const seen = new Set<string>();
  const renamed: string[] = [];
  const unique = names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let n = 2;
    while (taken.has(`${name}_${n}`)) n++;
    const fresh = `${name}_${n}`;
    taken.add(fresh);
    seen.add(fresh);
    renamed.push(`${name} → ${fresh}`);
    return fresh;
  });
  return { names: unique, renamed };
}

/**
 * The notes of a database source: renamed columns, --json-cols values that were not JSON. Both
 * change the data's shape from what the query or the flags say: warnings, shown even without
 * the summary.
 */
export function sourceNotes(columns: UniqueColumns, notJson: number): string[] {
  const notes = columns.renamed.length === 0 ? [] : [`${WARNING}columns of the same name renamed: ${columns.renamed.join(', ')}`];
  if (notJson > 0) notes.push(`${WARNING}${counted(notJson, '--json-cols value')} ${notJson === 1 ? 'was' : 'were'} not JSON (kept as ${notJson === 1 ? 'a string' : 'strings'})`);
  return notes;
}
