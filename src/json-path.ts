// JSONPath-like locations in error messages: $.users[3].name, $["odd key"].
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** One step of a JSONPath-like location: `.name`, `["odd key"]` or `[3]`. */
export function pathSegment(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
