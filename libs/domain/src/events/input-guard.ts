import { FieldError } from './field-error';
import { MAX_EVENT_DEPTH, MAX_EVENT_VALUES, MAX_FIELD_ERRORS } from './limits';

// The first look at an untrusted event, before any validator runs: one walk that bounds what the rest may
// meet. Its recursion stops at MAX_EVENT_DEPTH, so no input can exhaust the stack here or later, and it refuses
// what no field may hold anywhere: strings that are not well-formed Unicode (a lone surrogate is acknowledged
// and then cannot be stored, compared or sent back as UTF-8) and `__proto__` keys (copying such an object
// replaces the copy's prototype).

export function guardEventInput(input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const path: (string | number)[] = [];
  let values = 0;

  const refuse = (message: (where: string) => string): boolean => {
    errors.push({ path: renderPath(path), message: message(renderPath(path) || 'the event') });
    return errors.length < MAX_FIELD_ERRORS;
  };

  /** False once the walk should stop altogether. */
  function visit(value: unknown, depth: number): boolean {
    values += 1;
    if (values > MAX_EVENT_VALUES) {
      errors.push({ path: '', message: `an event may hold at most ${MAX_EVENT_VALUES} values` });
      return false;
    }
    if (typeof value === 'string') {
      return (
        isWellFormed(value) || refuse((where) => `${where} must be well-formed Unicode (no lone surrogates)`)
      );
    }
    if (typeof value !== 'object' || value === null) return true;
    if (depth > MAX_EVENT_DEPTH) {
      return refuse(
        (where) => `${where} is nested deeper than the ${MAX_EVENT_DEPTH} levels an event may have`,
      );
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) {
        path.push(index);
        const goOn = visit(value[index], depth + 1);
        path.pop();
        if (!goOn) return false;
      }
      return true;
    }
    for (const key of Object.keys(value)) {
      if (key === '__proto__' && !refuse((where) => `${where} must not hold a __proto__ key`)) return false;
      if (!isWellFormed(key) && !refuse((where) => `${where} holds a key that is not well-formed Unicode`)) {
        return false;
      }
      path.push(key);
      const goOn = visit((value as Record<string, unknown>)[key], depth + 1);
      path.pop();
      if (!goOn) return false;
    }
    return true;
  }

  visit(input, 1);
  return errors;
}

/** `data.items[0].usage`, as the validators write paths; keys that are not well-formed are left out. */
export function renderPath(path: readonly (string | number)[]): string {
  let rendered = '';
  for (const part of path) {
    if (typeof part === 'number') rendered += `[${part}]`;
    else if (!isWellFormed(part)) break;
    else rendered += rendered === '' ? part : `.${part}`;
  }
  return rendered;
}

// String.prototype.isWellFormed (ES2024) is in every Node.js this project supports but not in its TypeScript lib;
// the pattern is the same test where it is missing: in a `u` pattern a surrogate pair is one code point, so the
// class matches only lone surrogates.
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function isWellFormed(text: string): boolean {
  return nativeIsWellFormed ? nativeIsWellFormed.call(text) : !LONE_SURROGATE.test(text);
}
