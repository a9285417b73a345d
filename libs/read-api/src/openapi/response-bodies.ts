import { SCHEMA_REF_PREFIX } from '@app/domain';

// The 200 bodies of the read routes for the OpenAPI document. SessionView and SessionEvent are the domain's schemas
// (sessionViewSchemas(), sessionEventSchemas()), generated from the classes the fold and the parser use; the
// document adds them to its components wherever a route refers to them (libs/http openapi-document.ts).

const ref = (name: string) => ({ $ref: `${SCHEMA_REF_PREFIX}${name}` });

/** The origin's list body. */
export const SESSION_LIST_BODY = {
  type: 'object',
  description: 'Response body for listing sessions.',
  required: ['sessions', 'total'],
  properties: {
    sessions: {
      type: 'array',
      items: ref('SessionView'),
      description: 'Session views (record + is_running + team).',
    },
    total: { type: 'integer', minimum: 0, description: 'Total number of sessions.' },
  },
};

export const SESSION_VIEW_BODY = ref('SessionView');

export const SESSION_EVENT_PAGE_BODY = {
  type: 'object',
  description: "A page of a session's archived events, in seq order.",
  required: ['events', 'next_after_seq'],
  properties: {
    events: { type: 'array', items: ref('SessionEvent') },
    next_after_seq: {
      anyOf: [{ type: 'integer' }, { type: 'null' }],
      description: '`after_seq` for the next page; null when this page was not full.',
    },
  },
};

export const SESSION_STATE_AT_BODY = {
  type: 'object',
  description: 'A session folded from its archived events up to a point.',
  required: ['session_id', 'version', 'deleted', 'view'],
  properties: {
    session_id: { type: 'string' },
    version: { type: 'integer', description: 'seq of the last event applied at that point.' },
    deleted: { type: 'boolean', description: 'Whether the session was deleted at that point.' },
    view: ref('SessionView'),
  },
};
