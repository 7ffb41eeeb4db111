import { textSourceKind } from './text-input.js';

/** JSON Lines from a .jsonl / .ndjson file or stdin, re-encoded record by record. */
export const jsonLinesSource = textSourceKind('jsonl');
