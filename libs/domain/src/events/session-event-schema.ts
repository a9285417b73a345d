import { JsonSchema, SCHEMA_REF_PREFIX, schemaName, toJsonSchemas } from '../schema/json-schema';
import { SESSION_EVENT_DATA_DTOS } from './session-event-data.dto';
import { SESSION_EVENT_TYPES, SessionEventType } from './session-event';
import { SessionEventEnvelopeDto } from './session-event-envelope.dto';

/** The name of the envelope's schema: `data` is any object there, each type's schema narrows it. */
export const SESSION_EVENT_ENVELOPE_SCHEMA = schemaName(SessionEventEnvelopeDto);

/** The schema name of one type's data, e.g. `SessionCreatedData`. */
export function sessionEventDataSchemaName(type: SessionEventType): string {
  return schemaName(SESSION_EVENT_DATA_DTOS[type]);
}

/**
 * The envelope, each type's data and everything they nest, plus `SessionEvent`: one of the eleven event
 * shapes, told apart by `type` (an OpenAPI discriminator), each the envelope with its `type` and `data` fixed.
 */
export function sessionEventSchemas(): Record<string, JsonSchema> {
  const schemas = toJsonSchemas([
    SessionEventEnvelopeDto,
    ...SESSION_EVENT_TYPES.map((type) => SESSION_EVENT_DATA_DTOS[type]),
  ]);
  const mapping: Record<string, string> = {};
  for (const type of SESSION_EVENT_TYPES) {
    const name = eventSchemaName(type);
    mapping[type] = `${SCHEMA_REF_PREFIX}${name}`;
    schemas[name] = {
      allOf: [
        { $ref: `${SCHEMA_REF_PREFIX}${SESSION_EVENT_ENVELOPE_SCHEMA}` },
        {
          properties: {
            type: { const: type },
            data: { $ref: `${SCHEMA_REF_PREFIX}${sessionEventDataSchemaName(type)}` },
          },
        },
      ],
    };
  }
  schemas.SessionEvent = {
    oneOf: SESSION_EVENT_TYPES.map((type) => ({ $ref: mapping[type] })),
    discriminator: { propertyName: 'type', mapping },
  };
  return schemas;
}

// `SessionCreatedData` names the data, `SessionCreatedEvent` the whole event.
function eventSchemaName(type: SessionEventType): string {
  return sessionEventDataSchemaName(type).replace(/Data$/, 'Event');
}
