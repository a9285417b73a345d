/**
 * The one place where object keys meet MongoDB's rules. A stored document may not have a key holding '.' or
 * starting with '$' (the server reads them as paths and operators, and FerretDB refuses them outright), nor a NUL
 * (BSON keys are C strings), yet event data and views carry free-form objects whose keys the client chose. Such
 * keys are percent-escaped: '%' itself first, so the escape is reversible and no escaped key collides with a key
 * that was sent escaped-looking. Values are never touched, so every field the stores query reads as sent.
 *
 *   '%' -> '%25', '.' -> '%2E', a leading '$' -> '%24', NUL -> '%00'
 */

const NEEDS_ESCAPE = /[%.\0]|^\$/;
const ESCAPES: Record<string, string> = { '%': '%25', '.': '%2E', '\0': '%00' };
const UNESCAPES: Record<string, string> = { '%25': '%', '%2E': '.', '%24': '$', '%00': '\0' };

export function escapeKey(key: string): string {
  if (!NEEDS_ESCAPE.test(key)) return key;
  const escaped = key.replace(/[%.\0]/g, (character) => ESCAPES[character]);
  return escaped.startsWith('$') ? `%24${escaped.slice(1)}` : escaped;
}

export function unescapeKey(key: string): string {
  return key.includes('%') ? key.replace(/%(25|2E|24|00)/g, (escape) => UNESCAPES[escape]) : key;
}

/** `value` with every object key at every depth escaped; parts that need no escaping are returned as they are. */
export function escapeDocumentKeys<T>(value: T): T {
  return mapKeys(value, escapeKey, NEEDS_ESCAPE) as T;
}

/** The inverse of escapeDocumentKeys, for what a read returns. */
export function unescapeDocumentKeys<T>(value: T): T {
  return mapKeys(value, unescapeKey, /%/) as T;
}

/**
 * Copy-on-write: most documents hold no key to rewrite, and then no object is copied at all, which keeps the
 * cost of the escape on a view or an event to one walk.
 */
function mapKeys(value: unknown, rewrite: (key: string) => string, applies: RegExp): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const mapped = mapKeys(item, rewrite, applies);
      if (mapped !== item) (copy ??= value.slice())[index] = mapped;
    });
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  const entries = Object.entries(value);
  let changed = false;
  const mapped = entries.map(([key, item]): [string, unknown] => {
    const newKey = applies.test(key) ? rewrite(key) : key;
    const newItem = mapKeys(item, rewrite, applies);
    if (newKey !== key || newItem !== item) changed = true;
    return [newKey, newItem];
  });
  if (!changed) return value;
  const copy: Record<string, unknown> = {};
  // defineProperty, so that a key named "__proto__" stays an own key instead of replacing the prototype.
  for (const [key, item] of mapped) {
    Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** Dates, ObjectIds and other BSON values are values, not objects whose keys are data. */
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
