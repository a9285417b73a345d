import {
  ContentBlock,
  ContextItem,
  FreeformObject,
  PermissionContext,
  SessionConfig,
  SessionSource,
  Task,
  TeamView,
  TokenUsage,
  ToolContext,
} from '../session-view';

// Wire names are stable: they are stored in the log forever, so never derive them from class names.
export const SESSION_EVENT_TYPES = [
  'session.created',
  'session.config_updated',
  'session.context_appended',
  'session.context_updated',
  'session.context_compacted',
  'session.task_updated',
  'session.run_started',
  'session.run_stopped',
  'session.state_updated',
  'session.team_updated',
  'session.deleted',
] as const;
export type SessionEventType = (typeof SESSION_EVENT_TYPES)[number];

export const RUN_STOP_REASONS = [
  'completed',
  'interrupted',
  'failed',
  'awaiting_permission',
  'awaiting_external_result',
] as const;
export type RunStopReason = (typeof RUN_STOP_REASONS)[number];

export interface SessionEventEnvelope<TType extends SessionEventType, TData> {
  event_id: string;
  session_id: string;
  /** Per session, 1-based, assigned by the emitter. */
  seq: number;
  type: TType;
  /** ISO-8601 with a timezone. */
  occurred_at: string;
  schema_version: number;
  data: TData;
}

export interface SessionCreatedData {
  user_id: string;
  agent_id: string;
  config: SessionConfig;
  source: SessionSource;
  source_schedule_id: string | null;
  team_id: string | null;
  permission_context?: PermissionContext;
  tool_context?: ToolContext;
}

export interface SessionConfigUpdatedData {
  config: Partial<SessionConfig>;
}

export interface SessionContextAppendedData {
  items: ContextItem[];
}

export interface SessionContextUpdatedData {
  id: string;
  finished_at?: string | null;
  usage?: TokenUsage | null;
  content?: ContentBlock[];
  metadata?: FreeformObject;
}

export interface SessionContextCompactedData {
  summary: string;
  compacted_item_ids: string[];
}

export interface SessionTaskUpdatedData {
  task: Task;
}

export interface SessionRunStartedData {
  reply_id: string;
}

export interface SessionRunStoppedData {
  reason: RunStopReason;
}

export interface SessionStateUpdatedData {
  reply_id?: string | null;
  cur_iter?: number;
  permission_context?: PermissionContext;
  tool_context?: ToolContext;
}

export interface SessionTeamUpdatedData {
  team: TeamView | null;
}

export type SessionDeletedData = Record<string, never>;

export type SessionCreated = SessionEventEnvelope<'session.created', SessionCreatedData>;
export type SessionConfigUpdated = SessionEventEnvelope<'session.config_updated', SessionConfigUpdatedData>;
export type SessionContextAppended = SessionEventEnvelope<
  'session.context_appended',
  SessionContextAppendedData
>;
export type SessionContextUpdated = SessionEventEnvelope<
  'session.context_updated',
  SessionContextUpdatedData
>;
export type SessionContextCompacted = SessionEventEnvelope<
  'session.context_compacted',
  SessionContextCompactedData
>;
export type SessionTaskUpdated = SessionEventEnvelope<'session.task_updated', SessionTaskUpdatedData>;
export type SessionRunStarted = SessionEventEnvelope<'session.run_started', SessionRunStartedData>;
export type SessionRunStopped = SessionEventEnvelope<'session.run_stopped', SessionRunStoppedData>;
export type SessionStateUpdated = SessionEventEnvelope<'session.state_updated', SessionStateUpdatedData>;
export type SessionTeamUpdated = SessionEventEnvelope<'session.team_updated', SessionTeamUpdatedData>;
export type SessionDeleted = SessionEventEnvelope<'session.deleted', SessionDeletedData>;

export type SessionEvent =
  | SessionCreated
  | SessionConfigUpdated
  | SessionContextAppended
  | SessionContextUpdated
  | SessionContextCompacted
  | SessionTaskUpdated
  | SessionRunStarted
  | SessionRunStopped
  | SessionStateUpdated
  | SessionTeamUpdated
  | SessionDeleted;

/** The event type named by its wire type, e.g. `SessionEventOf<'session.created'>`. */
export type SessionEventOf<TType extends SessionEventType> = Extract<SessionEvent, { type: TType }>;

export function isSessionEventType(value: unknown): value is SessionEventType {
  return typeof value === 'string' && (SESSION_EVENT_TYPES as readonly string[]).includes(value);
}
