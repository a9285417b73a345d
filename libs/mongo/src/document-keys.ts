/**
 * The one place where object keys meet MongoDB's rules. A stored document may not have a key holding '.' or
 * starting with '$' (the server reads them as paths and operators, and FerretDB refuses them outright), nor a NUL
 * (BSON keys are C strings), yet event data and views carry free-form objects whose keys the client chose. Such
 * keys are percent-escaped: '%' itself first, so the escape is reversible and no escaped key collides with a key
 * that was sent escaped-looking. Values are never touched, so every field the stores query reads as sent.
 *
 *   '%' -> '%25', '.' -> '%2E', a leading '$' -> '%24', NUL -> '%00'
 */

/** Plain character tests rather than a regular expression: this runs on every key of every stored document. */
function needsEscape(key: string): boolean {
  return key.charCodeAt(0) === 36 || key.includes('.') || key.includes('%') || key.includes('\0');
}

function mayNeedUnescape(key: string): boolean {
  return key.includes('%');
}
const ESCAPES: Record<string, string> = { '%': '%25', '.': '%2E', '\0': '%00' };
const UNESCAPES: Record<string, string> = { '%25': '%', '%2E': '.', '%24': '$', '%00': '\0' };

export function escapeKey(key: string): string {
  if (!needsEscape(key)) return key;
  const escaped = key.replace(/[%.\0]/g, (character) => ESCAPES[character]);
  return escaped.startsWith('$') ? `%24${escaped.slice(1)}` : escaped;
}

export function unescapeKey(key: string): string {
  return key.includes('%') ? key.replace(/%(25|2E|24|00)/g, (escape) => UNESCAPES[escape]) : key;
}

export interface KeyEscapeOptions {
  /**
   * Stores an array that sits directly inside an array as `{"%[]": [...]}`. Only for FerretDB v1, which refuses
   * nested arrays ("nested arrays are not supported"): without it an event or view holding one could never be
   * written there and the projector would retry its batch forever. MongoDB holds nested arrays; leave it off.
   * No escaped key can be "%[]" ('%' is always escaped to "%25"), so reads unwrap it whatever the option.
   */
  wrapNestedArrays?: boolean;
}

const NESTED_ARRAY_KEY = '%[]';

/** `value` with every object key at every depth escaped; parts that need no escaping are returned as they are. */
export function escapeDocumentKeys<T>(value: T, options: KeyEscapeOptions = {}): T {
  return escapeValue(value, options.wrapNestedArrays === true, false) as T;
}

/** The inverse of escapeDocumentKeys, for what a read returns. */
export function unescapeDocumentKeys<T>(value: T): T {
  return unescapeValue(value) as T;
}

// Both walks are copy-on-write: most documents hold no key to rewrite, and then no object is copied at all, which
// keeps the cost of the escape on a view or an event to one walk.

function escapeValue(value: unknown, wrapNestedArrays: boolean, insideArray: boolean): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = mapArray(value, (item) => escapeValue(item, wrapNestedArrays, true));
    return insideArray && wrapNestedArrays ? { [NESTED_ARRAY_KEY]: items } : items;
  }
  return mapObject(value, needsEscape, escapeKey, (item) => escapeValue(item, wrapNestedArrays, false));
}

function unescapeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return mapArray(value, unescapeValue);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === NESTED_ARRAY_KEY) {
    return unescapeValue((value as Record<string, unknown>)[NESTED_ARRAY_KEY]);
  }
  return mapObject(value, mayNeedUnescape, unescapeKey, unescapeValue);
}

function mapArray(value: unknown[], map: (item: unknown) => unknown): unknown[] {
  let copy: unknown[] | undefined;
  value.forEach((item, index) => {
    const mapped = map(item);
    if (mapped !== item) (copy ??= value.slice())[index] = mapped;
  });
  return copy ?? value;
}

function mapObject(
  value: object,
  applies: (key: string) => boolean,
  rewrite: (key: string) => string,
  map: (item: unknown) => unknown,
): unknown {
  if (!isPlainObject(value)) return value;
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  let copy: Record<string, unknown> | undefined;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index];
    const item = source[key];
    const newKey = applies(key) ? rewrite(key) : key;
    const newItem = map(item);
    if (copy === undefined && (newKey !== key || newItem !== item)) {
      copy = {};
      for (let earlier = 0; earlier < index; earlier += 1) define(copy, keys[earlier], source[keys[earlier]]);
    }
    if (copy !== undefined) define(copy, newKey, newItem);
  }
  return copy ?? value;
}

/** defineProperty, so that a key named "__proto__" stays an own key instead of replacing the prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Dates, ObjectIds and other BSON values are values, not objects whose keys are data. */
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
