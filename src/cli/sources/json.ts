import { textSourceKind } from './text-input.js';

/** A .json document (or stdin / a file read with --from json), re-encoded record by record. */
export const jsonSource = textSourceKind('json');
