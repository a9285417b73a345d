import Ajv, { ValidateFunction } from 'ajv';
import { isInstant } from '../instant';
import { JsonSchema, SCHEMA_REF_PREFIX } from '../schema/json-schema';
import { fitsUtf8Bytes, isJsonWithinDepth } from './field-rules';
import { SessionEventType, SESSION_EVENT_TYPES } from './session-event';
import {
  SESSION_EVENT_ENVELOPE_SCHEMA,
  sessionEventDataSchemaName,
  sessionEventSchemas,
} from './session-event-schema';

// The hot path of parsing: ajv compiles the JSON Schema generated from the DTOs into one function per shape,
// about an order of magnitude faster than class-validator walking its metadata. It only ever says "accepted":
// an event it refuses goes through class-validator, which states why and has the last word, so the DTOs stay the
// specification. That is safe only while the two agree, which the differential test in
// compiled-validator.spec.ts checks on generated valid events and mutations of them.

export type EventAcceptor = (event: Record<string, unknown>) => boolean;

const DOCUMENT_ID = 'session-events';

/** Compiles the validators once, on first use, so importing the domain costs nothing. */
export function compiledEventAcceptor(): EventAcceptor {
  let accept: EventAcceptor | undefined;
  return (event) => (accept ??= compile())(event);
}

function compile(): EventAcceptor {
  const ajv = new Ajv({
    // The generated schemas carry what the OpenAPI document needs (`if` without `type`, union types); ajv's
    // strict mode would refuse those, while unknown keywords and formats must still fail the compilation.
    strict: true,
    strictTypes: false,
    allowUnionTypes: true,
    // `type: number` then also means finite, as class-validator's IsNumber({ allowNaN: false, ... }) does.
    strictNumbers: true,
    // The uuid schema's pattern is validator.js's own test (class-validator's IsUUID), so the format adds nothing.
    formats: { 'date-time': isInstant, uuid: true },
  });
  ajv.addVocabulary(['components', 'discriminator']);
  ajv.addKeyword({
    keyword: 'x-max-utf8-bytes',
    type: 'string',
    schemaType: 'number',
    validate: (limit: number, value: string) => fitsUtf8Bytes(value, limit),
  });
  ajv.addKeyword({
    keyword: 'x-json-max-depth',
    type: 'object',
    schemaType: 'number',
    validate: (levels: number, value: unknown) => isJsonWithinDepth(value, levels),
  });
  ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: sessionEventSchemas() } });
  const envelope = validatorOf(ajv, SESSION_EVENT_ENVELOPE_SCHEMA);
  const data = new Map<SessionEventType, ValidateFunction>(
    SESSION_EVENT_TYPES.map((type) => [type, validatorOf(ajv, sessionEventDataSchemaName(type))]),
  );
  return (event) => {
    if (!envelope(event)) return false;
    // The envelope's schema admits only registered types.
    return data.get(event.type as SessionEventType)!(event.data);
  };
}

function validatorOf(ajv: Ajv, name: string): ValidateFunction {
  const validate = ajv.getSchema(`${DOCUMENT_ID}${SCHEMA_REF_PREFIX}${name}`);
  if (validate === undefined) throw new Error(`no schema named ${name}`);
  return validate as ValidateFunction<JsonSchema>;
}
