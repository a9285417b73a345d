// Compares the shape of two JSON values: key sets at every level and JSON types, not values. An array's
// shape is its first element's. Used to hold documents to the seed API document field for field.

export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export interface JsonShapeOptions {
  /**
   * Paths where `actual` may be null although `expected` has a value: the fields the seed documents as
   * nullable. Paths use dots and `[]` for "any element", e.g. `session.state.context[].usage`.
   */
  nullable?: readonly string[];
  /** Paths present in `actual` that `expected` lacks but that are allowed (e.g. `status`). */
  extraKeys?: readonly string[];
  /** Whether an empty array in `actual` matches any element shape (otherwise it is reported as unproven). */
  allowEmptyArrays?: boolean;
}

/**
 * Lists every difference, each naming its path. An empty object in `expected` stands for a free-form
 * object (metadata, parameters, rules): `actual` must be an object there, with any keys.
 */
export function jsonShapeDifferences(
  actual: unknown,
  expected: unknown,
  options: JsonShapeOptions = {},
): string[] {
  const differences: string[] = [];
  compare(
    actual,
    expected,
    '',
    {
      nullable: new Set(options.nullable),
      extraKeys: new Set(options.extraKeys),
      allowEmptyArrays: options.allowEmptyArrays ?? false,
    },
    differences,
  );
  return differences;
}

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'boolean' || type === 'number' || type === 'string' || type === 'object') return type;
  throw new Error(`not a JSON value: ${type}`);
}

interface Rules {
  nullable: Set<string>;
  extraKeys: Set<string>;
  allowEmptyArrays: boolean;
}

function compare(
  actual: unknown,
  expected: unknown,
  path: string,
  rules: Rules,
  differences: string[],
): void {
  const actualType = jsonType(actual);
  const expectedType = jsonType(expected);
  const where = path || '(root)';
  if (actualType === 'null' && expectedType !== 'null' && rules.nullable.has(path)) return;
  if (actualType !== expectedType) {
    differences.push(`${where}: expected ${expectedType}, got ${actualType}`);
    return;
  }
  if (actualType === 'array') {
    compareArrays(actual as unknown[], expected as unknown[], path, rules, differences);
  } else if (actualType === 'object') {
    compareObjects(
      actual as Record<string, unknown>,
      expected as Record<string, unknown>,
      path,
      rules,
      differences,
    );
  }
}

function compareArrays(
  actual: unknown[],
  expected: unknown[],
  path: string,
  rules: Rules,
  differences: string[],
): void {
  if (expected.length === 0) return;
  if (actual.length === 0) {
    if (!rules.allowEmptyArrays) differences.push(`${path}: empty, so its element shape is unproven`);
    return;
  }
  compare(actual[0], expected[0], `${path}[]`, rules, differences);
}

function compareObjects(
  actual: Record<string, unknown>,
  expected: Record<string, unknown>,
  path: string,
  rules: Rules,
  differences: string[],
): void {
  const expectedKeys = Object.keys(expected);
  if (expectedKeys.length === 0) return;
  const child = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of expectedKeys) {
    if (!(key in actual)) differences.push(`${child(key)}: missing`);
    else compare(actual[key], expected[key], child(key), rules, differences);
  }
  for (const key of Object.keys(actual)) {
    if (!(key in expected) && !rules.extraKeys.has(child(key)))
      differences.push(`${child(key)}: not in the expected shape`);
  }
}
