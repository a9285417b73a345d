/** Paths where two JSON values differ, e.g. `view.session.state.cur_iter: stored 3, expected 4`; at most `limit`. */
export function jsonDifferences(expected: unknown, actual: unknown, limit = 20): string[] {
  const out: string[] = [];
  walk(expected, actual, '', out, limit);
  return out;
}

function walk(expected: unknown, actual: unknown, path: string, out: string[], limit: number): void {
  if (out.length >= limit) return;
  if (isObject(expected) && isObject(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of [...keys].sort())
      walk(expected[key], actual[key], path ? `${path}.${key}` : key, out, limit);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push(`${path}: stored ${actual.length} items, expected ${expected.length}`);
      return;
    }
    expected.forEach((item, index) => walk(item, actual[index], `${path}[${index}]`, out, limit));
    return;
  }
  if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    out.push(`${path || '(root)'}: stored ${brief(actual)}, expected ${brief(expected)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function brief(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
