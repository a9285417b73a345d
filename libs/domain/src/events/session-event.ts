import { SESSION_EVENT_DATA_DTOS } from './session-event-data.dto';

// The event types, their list and the union of event shapes all derive from SESSION_EVENT_DATA_DTOS: registering
// a type there is the whole registration, and the fold's exhaustive switch then fails to compile until it
// handles the new type.

type DataClasses = typeof SESSION_EVENT_DATA_DTOS;

export type SessionEventType = keyof DataClasses;

/** In the order the registration lists them. */
export const SESSION_EVENT_TYPES = Object.keys(SESSION_EVENT_DATA_DTOS) as readonly SessionEventType[];

/** The `data` of one event type, as its DTO class declares it. */
export type SessionEventDataOf<TType extends SessionEventType> = InstanceType<DataClasses[TType]>;

export interface SessionEventEnvelope<TType extends SessionEventType, TData> {
  event_id: string;
  session_id: string;
  /** Per session, 1-based, assigned by the emitter. */
  seq: number;
  type: TType;
  /** RFC 3339, in UTC once parsed (see ../instant). */
  occurred_at: string;
  schema_version: number;
  data: TData;
}

export type SessionEvent = {
  [TType in SessionEventType]: SessionEventEnvelope<TType, SessionEventDataOf<TType>>;
}[SessionEventType];

/** The event type named by its wire type, e.g. `SessionEventOf<'session.created'>`. */
export type SessionEventOf<TType extends SessionEventType> = Extract<SessionEvent, { type: TType }>;

export type SessionCreated = SessionEventOf<'session.created'>;
export type SessionConfigUpdated = SessionEventOf<'session.config_updated'>;
export type SessionContextAppended = SessionEventOf<'session.context_appended'>;
export type SessionContextUpdated = SessionEventOf<'session.context_updated'>;
export type SessionContextCompacted = SessionEventOf<'session.context_compacted'>;
export type SessionTaskUpdated = SessionEventOf<'session.task_updated'>;
export type SessionRunStarted = SessionEventOf<'session.run_started'>;
export type SessionRunStopped = SessionEventOf<'session.run_stopped'>;
export type SessionStateUpdated = SessionEventOf<'session.state_updated'>;
export type SessionTeamUpdated = SessionEventOf<'session.team_updated'>;
export type SessionDeleted = SessionEventOf<'session.deleted'>;

export function isSessionEventType(value: unknown): value is SessionEventType {
  return typeof value === 'string' && Object.hasOwn(SESSION_EVENT_DATA_DTOS, value);
}
