import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

// JSON Schema from the class-validator DTOs: the one generator behind the compiled event validator and the
// OpenAPI document, so a constraint declared on a DTO property reaches both. Every rule a DTO uses must have a
// schema here (or registered beside its decorator with `describeRule`); an unknown rule throws at generation
// time rather than silently vanishing from the published contract.
//
// The output is JSON Schema 2020-12 as OpenAPI 3.1 embeds it: nested classes are
// `{ $ref: '#/components/schemas/<name>' }`, null is `type: [..., 'null']` or `anyOf` with `{ type: 'null' }`.
// Rules JSON Schema cannot state are vendor keywords (`x-max-utf8-bytes`, `x-json-max-depth`) that the compiled
// validator implements and other readers may ignore; each comes with the nearest standard keyword it implies.

export type JsonSchema = { [keyword: string]: unknown };

/** A DTO class: something class-validator and class-transformer keep metadata for. */
export type DtoClass = abstract new (...args: never[]) => object;

/** What one rule adds: to the property's schema (or to each element, for `each` rules), and to the object's. */
export interface RuleSchema {
  property?: JsonSchema;
  /** Merged into the owning class's `allOf`: rules that relate several properties. */
  object?: (property: string) => JsonSchema;
}

type RuleDescriber = (constraints: unknown[]) => RuleSchema;

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

/** A class's schema name: its class name without the `Dto` suffix (`TeamViewDto` is `TeamView`). */
export function schemaName(dto: DtoClass): string {
  return dto.name.replace(/Dto$/, '');
}

// Matches validator.js's isUUID(value, 'all'), which class-validator's @IsUUID() runs; `format: uuid` alone
// would let a schema-driven client send the nil-version UUIDs it refuses.
const UUID_PATTERN =
  '^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|[fF]{8}-[fF]{4}-[fF]{4}-[fF]{4}-[fF]{12})$';

const RULES = new Map<string, RuleDescriber>([
  ['isString', () => ({ property: { type: 'string' } })],
  ['isNotEmpty', () => ({ property: { minLength: 1 } })],
  ['maxLength', ([max]) => ({ property: { maxLength: max } })],
  ['minLength', ([min]) => ({ property: { minLength: min } })],
  ['isInt', () => ({ property: { type: 'integer' } })],
  ['isNumber', () => ({ property: { type: 'number' } })],
  ['isBoolean', () => ({ property: { type: 'boolean' } })],
  ['isArray', () => ({ property: { type: 'array' } })],
  ['isObject', () => ({ property: { type: 'object' } })],
  ['min', ([min]) => ({ property: { minimum: min } })],
  ['max', ([max]) => ({ property: { maximum: max } })],
  ['isIn', ([values]) => ({ property: enumSchema(values as unknown[]) })],
  ['isUuid', () => ({ property: { type: 'string', format: 'uuid', pattern: UUID_PATTERN } })],
]);

// A type beside the enum lets readers (and `withNull`) see what kind of value it holds.
function enumSchema(values: unknown[]): JsonSchema {
  const types = new Set(values.map((value) => typeof value));
  const type =
    types.size === 1
      ? ({ string: 'string', number: 'number', boolean: 'boolean' } as Record<string, string>)[[...types][0]]
      : undefined;
  return type === undefined ? { enum: [...values] } : { type, enum: [...values] };
}

/** Declares the schema of a custom rule (a `ValidateBy` name), next to the decorator that defines it. */
export function describeRule(name: string, describe: RuleDescriber): void {
  RULES.set(name, describe);
}

/** How `ValidateIf` conditions read in a schema; any other condition is refused as unexpressed. */
type Condition = (object: object, value: unknown) => boolean;
const CONDITIONS = new Map<Condition, 'optional' | 'nullable'>();

export function describeCondition(condition: Condition, meaning: 'optional' | 'nullable'): void {
  CONDITIONS.set(condition, meaning);
}

/** The schema of each class and of every class they nest, keyed by `schemaName`. */
export function toJsonSchemas(classes: readonly DtoClass[]): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  const pending = [...classes];
  while (pending.length > 0) {
    const dto = pending.pop()!;
    const name = schemaName(dto);
    if (name in schemas) continue;
    const { schema, nested } = classSchema(dto);
    schemas[name] = schema;
    pending.push(...nested);
  }
  return schemas;
}

function classSchema(dto: DtoClass): { schema: JsonSchema; nested: DtoClass[] } {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of metadata) {
    byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const allOf: JsonSchema[] = [];
  const nested: DtoClass[] = [];
  for (const [property, rules] of byProperty) {
    const described = propertySchema(dto, property, rules);
    properties[property] = described.schema;
    if (!described.optional) required.push(property);
    allOf.push(...described.objectRules);
    nested.push(...described.nested);
  }
  const schema: JsonSchema = { type: 'object', properties, required, additionalProperties: false };
  if (allOf.length > 0) schema.allOf = allOf;
  return { schema, nested };
}

interface DescribedProperty {
  schema: JsonSchema;
  optional: boolean;
  objectRules: JsonSchema[];
  nested: DtoClass[];
}

function propertySchema(dto: DtoClass, property: string, rules: ValidationMetadata[]): DescribedProperty {
  const own: JsonSchema = {};
  const items: JsonSchema = {};
  const described: DescribedProperty = { schema: own, optional: false, objectRules: [], nested: [] };
  let nullable = false;
  for (const rule of rules) {
    const target = rule.each ? items : own;
    if (rule.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      const meaning = CONDITIONS.get(rule.constraints[0] as Condition);
      if (meaning === undefined) throw unexpressed(dto, property, 'a ValidateIf condition');
      if (meaning === 'optional') described.optional = true;
      else nullable = true;
    } else if (rule.type === ValidationTypes.NESTED_VALIDATION) {
      const nestedClass = nestedClassOf(dto, property);
      Object.assign(target, { $ref: `${SCHEMA_REF_PREFIX}${schemaName(nestedClass)}` });
      described.nested.push(nestedClass);
    } else if (rule.type === ValidationTypes.CUSTOM_VALIDATION && rule.name !== undefined) {
      const describe = RULES.get(rule.name);
      if (describe === undefined) throw unexpressed(dto, property, `the rule '${rule.name}'`);
      const { property: fragment, object } = describe(rule.constraints ?? []);
      if (fragment) merge(target, fragment, dto, property);
      if (object) described.objectRules.push(object(property));
    } else {
      throw unexpressed(dto, property, `a rule of type '${rule.type}'`);
    }
  }
  if (Object.keys(items).length > 0) own.items = withoutRedundantType(items);
  described.schema = nullable ? withNull(withoutRedundantType(own)) : withoutRedundantType(own);
  return described;
}

function nestedClassOf(dto: DtoClass, property: string): DtoClass {
  const type = defaultMetadataStorage.findTypeMetadata(dto, property);
  const nestedClass = type?.typeFunction() as DtoClass | undefined;
  if (typeof nestedClass !== 'function') throw unexpressed(dto, property, 'a nested property without @Type');
  return nestedClass;
}

// `isObject` beside a `$ref` says what the referenced schema already does.
function withoutRedundantType(schema: JsonSchema): JsonSchema {
  if (schema.$ref === undefined || schema.type !== 'object') return schema;
  const { type: _type, ...rest } = schema;
  return rest;
}

function withNull(schema: JsonSchema): JsonSchema {
  if (typeof schema.type !== 'string') return { anyOf: [schema, { type: 'null' }] };
  const withNullEnum = Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {};
  return { ...schema, type: [schema.type, 'null'], ...withNullEnum };
}

function merge(target: JsonSchema, fragment: JsonSchema, dto: DtoClass, property: string): void {
  for (const [keyword, value] of Object.entries(fragment)) {
    const current = target[keyword];
    if (current === undefined || current === value) target[keyword] = value;
    else if (keyword === 'maxLength' || keyword === 'maximum')
      target[keyword] = Math.min(current as number, value as number);
    else if (keyword === 'minLength' || keyword === 'minimum')
      target[keyword] = Math.max(current as number, value as number);
    else if (
      keyword === 'type' &&
      ((current === 'integer' && value === 'number') || (current === 'number' && value === 'integer'))
    )
      target.type = 'integer';
    else
      throw unexpressed(dto, property, `'${keyword}' stated twice (${String(current)} and ${String(value)})`);
  }
}

function unexpressed(dto: DtoClass, property: string, what: string): Error {
  return new Error(`${dto.name}.${property}: no JSON Schema for ${what}`);
}
