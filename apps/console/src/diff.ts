// "What did this event change": the structural difference between two views, as a list of paths.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Change {
  /** Where, as a JavaScript-like path: `session.config.name`, `state.context[id=msg-2].finished_at`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: Json;
  after?: Json;
}

/**
 * Every leaf that differs between `before` and `after`. Objects are compared key by key; arrays whose items all
 * carry a string `id` (context messages, tasks) are matched by id, so an item inserted in front shows as one
 * addition rather than as every later item changing; other arrays are compared by index.
 */
export function structuralDiff(before: Json | undefined, after: Json | undefined, path = ''): Change[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path: path || '(root)', kind: 'added', after }];
  if (after === undefined) return [{ path: path || '(root)', kind: 'removed', before }];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => structuralDiff(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (keyedById(before) && keyedById(after)) {
      const earlier = new Map(before.map((item) => [item.id, item]));
      const later = new Map(after.map((item) => [item.id, item]));
      const ids = [...new Set([...earlier.keys(), ...later.keys()])];
      return ids.flatMap((id) => structuralDiff(earlier.get(id), later.get(id), `${path}[id=${id}]`));
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, index) =>
      structuralDiff(before[index], after[index], `${path}[${index}]`),
    ).flat();
  }
  return Object.is(before, after) ? [] : [{ path: path || '(root)', kind: 'changed', before, after }];
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyedById(items: Json[]): items is ({ id: string } & { [key: string]: Json })[] {
  return items.every((item) => isObject(item) && typeof item.id === 'string');
}
