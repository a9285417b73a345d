import fc from 'fast-check';
import { JsonSchema, SCHEMA_REF_PREFIX } from '@app/domain';

// fast-check arbitraries of the values a generated JSON Schema accepts, so that a property test covers every
// shape the DTOs declare (and any shape added later) without a hand-written generator per class. Strings and
// lists stay short; the mutations in the differential test reach the limits.

export function schemaArbitrary(schemas: Record<string, JsonSchema>, name: string): fc.Arbitrary<unknown> {
  const named = new Map<string, fc.Arbitrary<unknown>>();

  function byName(schemaName: string): fc.Arbitrary<unknown> {
    let arbitrary = named.get(schemaName);
    if (arbitrary === undefined) {
      const schema = schemas[schemaName];
      if (schema === undefined) throw new Error(`no schema named ${schemaName}`);
      arbitrary = of(schema);
      named.set(schemaName, arbitrary);
    }
    return arbitrary;
  }

  function of(schema: JsonSchema): fc.Arbitrary<unknown> {
    if (typeof schema.$ref === 'string') return byName(schema.$ref.slice(SCHEMA_REF_PREFIX.length));
    if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as JsonSchema[]).map(of));
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    if (Array.isArray(schema.type)) {
      const types = schema.type as string[];
      return fc.oneof(
        ...types.map((type) => (type === 'null' ? fc.constant(null) : of({ ...schema, type }))),
      );
    }
    switch (schema.type) {
      case 'object':
        return schema['x-json-max-depth'] !== undefined ? freeform() : object(schema);
      case 'array':
        return fc.array(of(schema.items as JsonSchema), { maxLength: 2 });
      case 'string':
        return string(schema);
      case 'integer':
        return integer(schema);
      case 'number':
        return fc.double({
          min: (schema.minimum as number | undefined) ?? -1e6,
          max: (schema.maximum as number | undefined) ?? 1e12,
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      default:
        throw new Error(`no arbitrary for ${JSON.stringify(schema)}`);
    }
  }

  function object(schema: JsonSchema): fc.Arbitrary<unknown> {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const record = fc.record(
      Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, of(property)])),
      { requiredKeys: (schema.required ?? []) as string[] },
    );
    const rules = ((schema.allOf ?? []) as JsonSchema[]).map(conditional);
    return rules.length === 0
      ? record
      : record.map((value) => rules.reduce((current, rule) => rule(current), value));
  }

  return byName(name);
}

/** Makes a generated object meet `if`/`then`: where `if` holds, `then`'s constants are set. */
function conditional(rule: JsonSchema): (value: Record<string, unknown>) => Record<string, unknown> {
  const condition = rule.if as { properties: Record<string, JsonSchema>; required: string[] };
  const consequence = rule.then as { properties: Record<string, { const: unknown }> };
  return (value) => {
    const holds =
      condition.required.every((key) => key in value) &&
      Object.entries(condition.properties).every(([key, schema]) => {
        const not = (schema.not ?? {}) as JsonSchema;
        return not.type === 'null' && value[key] !== null;
      });
    if (!holds) return value;
    const fixed = { ...value };
    for (const [key, { const: constant }] of Object.entries(consequence.properties)) fixed[key] = constant;
    return fixed;
  };
}

const ODD_CHARACTERS = [
  'é',
  'e\u0301',
  '😀',
  '👩‍💻',
  '❤️',
  '\u0000',
  '\u200b',
  '\u202e',
  '\ufeff',
  '"',
  '\\',
  '\n',
  '𝕏',
];

const MAX_STRING_UNITS = 8;
const MAX_UNIT_CODE_POINTS = 3;

/** Well-formed strings mixing plain and odd characters: combining marks, emoji sequences, NUL, bidi marks. */
export const oddString = (maxUnits: number, minUnits = 0): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(fc.constantFrom(...ODD_CHARACTERS), fc.constantFrom('a', 'b', 'Z', '0', ' ', '-')),
    minLength: minUnits,
    maxLength: maxUnits,
  });

function string(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') return dateTime;
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = (schema.maxLength as number | undefined) ?? Infinity;
  // A unit is at most MAX_UNIT_CODE_POINTS code points, so short strings meet every limit the schemas set.
  if (maxLength < MAX_STRING_UNITS * MAX_UNIT_CODE_POINTS)
    throw new Error(`maxLength ${maxLength} is too small here`);
  return oddString(MAX_STRING_UNITS, minLength);
}

function integer(schema: JsonSchema): fc.Arbitrary<number> {
  const min = (schema.minimum as number | undefined) ?? Number.MIN_SAFE_INTEGER;
  const max = (schema.maximum as number | undefined) ?? Number.MAX_SAFE_INTEGER;
  return fc.oneof(fc.integer({ min, max: Math.min(max, min + 1000) }), fc.constantFrom(min, max));
}

const offset = fc.oneof(
  fc.constantFrom('Z', 'z', '+00:00', '-00:00'),
  fc
    .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(
      ([sign, hours, minutes]) =>
        `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`,
    ),
);

/** RFC 3339 date-times in the spellings emitters use: offsets, either case, 0 to 9 fraction digits. */
export const dateTime: fc.Arbitrary<string> = fc
  .tuple(
    fc.date({
      min: new Date('1971-01-01T00:00:00Z'),
      max: new Date('2999-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc.constantFrom('', '.5', '.000', '.123456', '.123456789'),
    fc.constantFrom('T', 't'),
    offset,
  )
  .map(([date, fraction, separator, zone]) => {
    const [day, time] = date.toISOString().slice(0, 19).split('T');
    return `${day}${separator}${time}${fraction}${zone}`;
  });

function freeform(): fc.Arbitrary<Record<string, unknown>> {
  const key = oddString(6).filter((text) => text !== '__proto__');
  return fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 });
}
