/**
 * JSON with every object's keys sorted, so two encodings of the same value compare equal whatever order a client's
 * serializer wrote the keys in. Used to tell a retried event (same content) from a different event reusing its id.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
}
