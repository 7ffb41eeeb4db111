// Escapes for JSON text that is embedded in other text: `escapeHTML` writes <, > and & as
// \u003c, \u003e and \u0026, so that no `</script>`, `<!--` or entity can appear in an HTML
// <script> element; `escapeLineTerminators` writes U+2028 and U+2029 as \u2028 and \u2029,
// which JavaScript before ES2019 does not accept raw in a string literal (JSONP, old
// engines). Go's encoding/json writes the same five escapes by default.
//
// All five characters can only occur inside strings of JSON text, so the rewrite is safe on
// any JSON text: a whole native text, a rawJSON fragment, a quoted string or a part of one.

const ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

const escapeOne = (c: string): string => ESCAPES[c];

/** The rewrite of JSON text the options ask for; null when they ask for none. */
export function embedEscape(html: boolean, lineTerminators: boolean): ((jsonText: string) => string) | null {
  if (!html && !lineTerminators) return null;
  const chars = (html ? '<>&' : '') + (lineTerminators ? '\u2028\u2029' : '');
  const test = new RegExp(`[${chars}]`);
  const all = new RegExp(`[${chars}]`, 'g');
  return (text) => (test.test(text) ? text.replace(all, escapeOne) : text);
}

/** `first` then `second` (either may be null). */
export function compose(
  first: ((text: string) => string) | null,
  second: ((text: string) => string) | null,
): ((text: string) => string) | null {
  if (first === null) return second;
  if (second === null) return first;
  return (text) => second(first(text));
}
