import { normalizeInstant } from '../instant';
import { JsonSchema, SCHEMA_REF_PREFIX } from './json-schema';

// Where a shape holds date-times is stated once, by `format: date-time` in the schema generated from its DTO;
// the normaliser is compiled from that, so a date-time field added to a DTO is normalised without another edit.

export type Normaliser = (value: unknown) => unknown;

const unchanged: Normaliser = (value) => value;

// Most date-times arrive already written this way (the project's emitter writes them so); a string of this
// shape that names an instant at all is its own UTC form, so it needs no parse.
const UTC_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{0,5}[1-9])?Z$/;

const normaliseDateTime: Normaliser = (value) =>
  typeof value !== 'string' || UTC_FORM.test(value) ? value : (normalizeInstant(value) ?? value);

/**
 * Rewrites every date-time that a value of schema `name` holds into pydantic's UTC form (see ../instant). Run
 * on values the schema accepted. Copies only the objects and arrays on the way to a rewritten string and never
 * mutates its input, so a value already in that form comes back as the same object.
 */
export function dateTimeNormaliser(schemas: Record<string, JsonSchema>, name: string): Normaliser {
  const compiled = new Map<string, Normaliser>();

  function named(schemaName: string): Normaliser {
    let normaliser = compiled.get(schemaName);
    if (normaliser === undefined) {
      const schema = schemas[schemaName];
      if (schema === undefined) throw new Error(`no schema named ${schemaName}`);
      // A placeholder first, so that a schema which refers to itself compiles.
      compiled.set(schemaName, (value) => compiled.get(schemaName)!(value));
      normaliser = compile(schema);
      compiled.set(schemaName, normaliser);
    }
    return normaliser;
  }

  function compile(schema: JsonSchema): Normaliser {
    if (typeof schema.$ref === 'string') return named(schema.$ref.slice(SCHEMA_REF_PREFIX.length));
    if (schema.format === 'date-time') return normaliseDateTime;
    const discriminator = schema.discriminator as
      { propertyName: string; mapping: Record<string, string> } | undefined;
    if (discriminator !== undefined) return byDiscriminator(discriminator);
    const steps = [
      ...((schema.allOf ?? []) as JsonSchema[]).map(compile),
      ...((schema.anyOf ?? []) as JsonSchema[]).map(compile),
      schema.properties ? properties(schema.properties as Record<string, JsonSchema>) : unchanged,
      schema.items ? items(compile(schema.items as JsonSchema)) : unchanged,
    ].filter((step) => step !== unchanged);
    if (steps.length === 0) return unchanged;
    if (steps.length === 1) return steps[0];
    return (value) => steps.reduce((current, step) => step(current), value);
  }

  function properties(propertySchemas: Record<string, JsonSchema>): Normaliser {
    const entries = Object.entries(propertySchemas)
      .map(([key, schema]) => [key, compile(schema)] as const)
      .filter(([, normalise]) => normalise !== unchanged);
    if (entries.length === 0) return unchanged;
    return (value) => {
      if (!isRecord(value)) return value;
      let copy: Record<string, unknown> | undefined;
      for (const [key, normalise] of entries) {
        if (!Object.hasOwn(value, key)) continue;
        const next = normalise(value[key]);
        if (next !== value[key]) (copy ??= { ...value })[key] = next;
      }
      return copy ?? value;
    };
  }

  function byDiscriminator({
    propertyName,
    mapping,
  }: {
    propertyName: string;
    mapping: Record<string, string>;
  }) {
    const branches = new Map(Object.entries(mapping).map(([tag, ref]) => [tag, compile({ $ref: ref })]));
    return (value: unknown) => {
      const tag = isRecord(value) ? value[propertyName] : undefined;
      const branch = typeof tag === 'string' ? branches.get(tag) : undefined;
      return branch === undefined ? value : branch(value);
    };
  }

  return named(name);
}

function items(normalise: Normaliser): Normaliser {
  if (normalise === unchanged) return unchanged;
  return (value) => {
    if (!Array.isArray(value)) return value;
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index += 1) {
      const next = normalise(value[index]);
      if (next !== value[index]) (copy ??= value.slice())[index] = next;
    }
    return copy ?? value;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
