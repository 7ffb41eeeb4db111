// Moved to text/json-bytes.ts, the byte-level text module shared with the re-encoder: these
// names stay for importers not yet moved.
export {
  replacementWritten,
  noteReplacement,
  writeJsonString,
  writeText as writeUtf8,
  writeAscii,
  writeSafeInteger,
  writeBigInt,
  writeBytes,
} from '../../text/json-bytes.js';
