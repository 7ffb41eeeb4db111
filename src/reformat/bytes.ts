// Moved to text/json-bytes.ts, the byte-level text module shared with the CLI's row encoders:
// these names stay for importers not yet moved.
export {
  QUOTE,
  BACKSLASH,
  NEWLINE,
  SHORT_ESCAPE,
  KEPT_ESCAPE,
  writeUnicodeEscape,
  writeCodePoint as writeUtf8,
  utf8Length,
  readUtf8,
  hexValue,
} from '../text/json-bytes.js';
