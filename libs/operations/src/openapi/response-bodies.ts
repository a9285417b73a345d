import { DEAD_LETTER_REASONS } from '../dto/operations-params';

// The 200 bodies of the operators' routes for the OpenAPI document; dead-letter-body.ts builds them.

const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

export const DEAD_LETTER_BODY = {
  type: 'object',
  description: 'A record the projector gave up on, with the original bytes.',
  required: ['id', 'reason', 'detail', 'failed_at', 'redriven_at', 'session_id', 'event_id', 'key', 'source'],
  properties: {
    id: { type: 'string' },
    reason: { type: 'string', enum: [...DEAD_LETTER_REASONS] },
    detail: {
      type: 'string',
      description: 'Every offending field path, the conflicting event id, the size.',
    },
    failed_at: { type: 'string', format: 'date-time' },
    redriven_at: nullable({ type: 'string', format: 'date-time' }),
    session_id: nullable({ type: 'string' }),
    event_id: nullable({ type: 'string' }),
    key: nullable({ type: 'string' }),
    source: {
      type: 'object',
      required: ['topic', 'partition', 'offset'],
      properties: {
        topic: { type: 'string' },
        partition: nullable({ type: 'integer' }),
        offset: nullable({ type: 'string' }),
      },
    },
    payload: { type: 'string', description: 'The original record, when it is UTF-8 text.' },
    payload_base64: { type: 'string', description: 'The original record in base64, when it is not UTF-8.' },
  },
};

export const DEAD_LETTER_LIST_BODY = {
  type: 'object',
  required: ['dead_letters'],
  properties: { dead_letters: { type: 'array', items: DEAD_LETTER_BODY } },
};

export const REDRIVE_BODY = {
  type: 'object',
  required: ['id', 'outcome', 'reasons'],
  properties: {
    id: { type: 'string' },
    outcome: {
      type: 'string',
      enum: ['projected', 'dead_lettered_again'],
      description:
        '`dead_lettered_again`: it failed again and is a new letter of its own, with its new reason.',
    },
    reasons: { type: 'array', items: { type: 'string', enum: [...DEAD_LETTER_REASONS] } },
  },
};

const STAMP = nullable({
  type: 'object',
  required: ['fold_version', 'shape'],
  properties: { fold_version: { type: 'integer' }, shape: { type: 'string' } },
});

export const GENERATIONS_BODY = {
  type: 'object',
  required: ['active', 'current_stamp', 'generations'],
  properties: {
    active: {
      type: 'string',
      description: "The generation serving reads and taking the projector's writes.",
    },
    current_stamp: { ...STAMP, description: "This build's fold version and view shape." },
    generations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'active', 'stamp', 'current'],
        properties: {
          name: { type: 'string' },
          active: { type: 'boolean' },
          stamp: { ...STAMP, description: 'What built it; null when it predates stamps.' },
          current: { type: 'boolean', description: 'Built by this build: the projector may write it.' },
        },
      },
    },
  },
};
