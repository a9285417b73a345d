import { IsInt, IsString, Matches } from 'class-validator';
import { sessionEventSchemas } from '../events/session-event-schema';
import { IsDateTime, IsFreeform, IsNested, IsSafeInt, Nullable, Optional } from '../events/field-rules';
import { MAX_FREEFORM_DEPTH, MAX_ID_LENGTH, MAX_TEXT_BYTES } from '../events/limits';
import { sessionViewSchemas } from '../session-view-schema';
import { toJsonSchemas } from './json-schema';

class Leaf {
  @IsSafeInt(1) count!: number;
}

class Holder {
  @Optional() @IsString() note?: string;
  @Nullable() @IsNested(Leaf) leaf!: Leaf | null;
  @Nullable() @IsDateTime() at!: string | null;
  @IsFreeform() extra!: Record<string, unknown>;
}

describe(toJsonSchemas.name, () => {
  it('states every rule of a class and refers to nested classes by name', () => {
    expect(toJsonSchemas([Holder])).toEqual({
      Holder: {
        type: 'object',
        properties: {
          note: { type: 'string' },
          leaf: { anyOf: [{ $ref: '#/components/schemas/Leaf' }, { type: 'null' }] },
          at: { type: ['string', 'null'], format: 'date-time' },
          extra: { type: 'object', 'x-json-max-depth': MAX_FREEFORM_DEPTH },
        },
        required: ['leaf', 'at', 'extra'],
        additionalProperties: false,
      },
      Leaf: {
        type: 'object',
        properties: { count: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
        required: ['count'],
        additionalProperties: false,
      },
    });
  });

  it('refuses a rule it cannot state rather than leaving it out of the contract', () => {
    class Unstated {
      @Matches(/x/) code!: string;
    }

    expect(() => toJsonSchemas([Unstated])).toThrow("Unstated.code: no JSON Schema for the rule 'matches'");
  });

  it('refuses to merge two rules that contradict each other', () => {
    class Twice {
      @IsString() @IsInt() value!: string;
    }

    expect(() => toJsonSchemas([Twice])).toThrow(/Twice.value: no JSON Schema for 'type' stated twice/);
  });
});

describe(sessionViewSchemas.name, () => {
  const schemas = sessionViewSchemas();

  it('holds SessionView and every shape it nests', () => {
    expect(Object.keys(schemas).sort()).toEqual(
      [
        'AgentData',
        'AgentRecord',
        'ChatModelConfig',
        'ContentBlock',
        'ContextConfig',
        'ContextItem',
        'PermissionContext',
        'ReactConfig',
        'ReadFileCacheEntry',
        'SessionConfig',
        'SessionRecord',
        'SessionState',
        'SessionView',
        'Task',
        'TasksContext',
        'Team',
        'TeamData',
        'TeamMember',
        'TeamView',
        'TokenUsage',
        'ToolContext',
      ].sort(),
    );
  });

  it('carries the bounds, enums, lengths and null the classes declare', () => {
    const property = (schema: string, name: string) =>
      (schemas[schema].properties as Record<string, unknown>)[name];

    expect(property('ContextConfig', 'trigger_ratio')).toEqual({ type: 'number', minimum: 0, maximum: 1 });
    expect(property('SessionView', 'status')).toEqual({
      type: 'string',
      enum: ['running', 'idle', 'awaiting_permission', 'awaiting_external_result'],
    });
    expect(property('SessionRecord', 'id')).toEqual({
      type: 'string',
      minLength: 1,
      maxLength: MAX_ID_LENGTH,
    });
    expect(property('SessionRecord', 'team_id')).toEqual({
      type: ['string', 'null'],
      minLength: 1,
      maxLength: MAX_ID_LENGTH,
    });
    expect(property('SessionState', 'summary')).toEqual({
      type: 'string',
      maxLength: MAX_TEXT_BYTES,
      'x-max-utf8-bytes': MAX_TEXT_BYTES,
    });
    expect(property('SessionState', 'reply_id')).toEqual({
      type: 'string',
      minLength: 1,
      maxLength: MAX_ID_LENGTH,
    });
    expect(property('SessionRecord', 'updated_at')).toEqual({ type: 'string', format: 'date-time' });
    expect(schemas.SessionRecord.required).toEqual([
      'user_id',
      'agent_id',
      'config',
      'id',
      'updated_at',
      'created_at',
      'source',
      'source_schedule_id',
      'team_id',
      'state',
    ]);
  });
});

describe(sessionEventSchemas.name, () => {
  const schemas = sessionEventSchemas();

  it('states the envelope with a UUID pattern and safe-integer seq', () => {
    const envelope = schemas.SessionEventEnvelope.properties as Record<string, Record<string, unknown>>;

    expect(envelope.seq).toEqual({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    expect(envelope.event_id).toMatchObject({ type: 'string', format: 'uuid' });
    expect(new RegExp(envelope.event_id.pattern as string).test('1AE33A24-2915-5285-895C-FC41AD16C3BE')).toBe(
      true,
    );
    expect(new RegExp(envelope.event_id.pattern as string).test('1ae33a24-2915-0285-895c-fc41ad16c3be')).toBe(
      false,
    );
  });

  it('offers SessionEvent as one of the eleven shapes, told apart by type', () => {
    expect(schemas.SessionEvent.discriminator).toMatchObject({
      propertyName: 'type',
      mapping: { 'session.created': '#/components/schemas/SessionCreatedEvent' },
    });
    expect(schemas.SessionEvent.oneOf).toHaveLength(11);
    expect(schemas.SessionCreatedEvent).toEqual({
      allOf: [
        { $ref: '#/components/schemas/SessionEventEnvelope' },
        {
          properties: {
            type: { const: 'session.created' },
            data: { $ref: '#/components/schemas/SessionCreatedData' },
          },
        },
      ],
    });
  });

  it('states the cross-field rule of a schedule id', () => {
    expect(schemas.SessionCreatedData.allOf).toEqual([
      {
        if: {
          properties: { source_schedule_id: { not: { type: 'null' } } },
          required: ['source_schedule_id'],
        },
        then: { properties: { source: { const: 'schedule' } }, required: ['source'] },
      },
    ]);
  });
});
