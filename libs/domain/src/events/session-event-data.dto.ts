import { IsIn, ValidateBy } from 'class-validator';
import { describeRule } from '../schema/json-schema';
import {
  ChatModelConfig,
  ContentBlock,
  ContextItem,
  PermissionContext,
  SESSION_SOURCES,
  SessionConfig,
  SessionSource,
  Task,
  TeamView,
  TokenUsage,
  ToolContext,
} from '../session-view';
import {
  IsFreeform,
  IsId,
  IsSafeInt,
  IsIdList,
  IsNested,
  IsNestedList,
  IsDateTime,
  IsShortString,
  IsText,
  Nullable,
  Optional,
} from './field-rules';

// One class per event type's `data`: the validation rules, the JSON Schema and the TypeScript type the fold
// reads (see ./session-event) all come from it.

export const RUN_STOP_REASONS = [
  'completed',
  'interrupted',
  'failed',
  'awaiting_permission',
  'awaiting_external_result',
] as const;
export type RunStopReason = (typeof RUN_STOP_REASONS)[number];

export class SessionCreatedData {
  @IsId() user_id!: string;
  @IsId() agent_id!: string;
  @IsNested(SessionConfig) config!: SessionConfig;
  @IsIn(SESSION_SOURCES) source!: SessionSource;
  @Nullable() @IsId() @NullUnlessScheduled() source_schedule_id!: string | null;
  @Nullable() @IsId() team_id!: string | null;
  @Optional() @IsNested(PermissionContext) permission_context?: PermissionContext;
  @Optional() @IsNested(ToolContext) tool_context?: ToolContext;
}

function NullUnlessScheduled(): PropertyDecorator {
  return ValidateBy({
    name: 'nullUnlessScheduled',
    validator: {
      validate: (_value, args) => (args?.object as SessionCreatedData).source === 'schedule',
      defaultMessage: () => "$property must be null unless source is 'schedule'",
    },
  });
}
describeRule('nullUnlessScheduled', () => ({
  object: (property) => ({
    if: { properties: { [property]: { not: { type: 'null' } } }, required: [property] },
    then: { properties: { source: { const: 'schedule' } }, required: ['source'] },
  }),
}));

/** session.config_updated replaces only the keys it carries. */
export class SessionConfigPatch implements Partial<SessionConfig> {
  @Optional() @IsId() workspace_id?: string;
  @Optional() @IsShortString() name?: string;
  @Optional() @Nullable() @IsNested(ChatModelConfig) chat_model_config?: ChatModelConfig | null;
  @Optional()
  @Nullable()
  @IsNested(ChatModelConfig)
  fallback_chat_model_config?: ChatModelConfig | null;
}

export class SessionConfigUpdatedData {
  @IsNested(SessionConfigPatch) config!: SessionConfigPatch;
}

export class SessionContextAppendedData {
  @IsNestedList(ContextItem) items!: ContextItem[];
}

export class SessionContextUpdatedData {
  @IsId() id!: string;
  @Optional() @Nullable() @IsDateTime() finished_at?: string | null;
  @Optional() @Nullable() @IsNested(TokenUsage) usage?: TokenUsage | null;
  @Optional() @IsNestedList(ContentBlock) content?: ContentBlock[];
  @Optional() @IsFreeform() metadata?: Record<string, unknown>;
}

export class SessionContextCompactedData {
  @IsText() summary!: string;
  @IsIdList() compacted_item_ids!: string[];
}

export class SessionTaskUpdatedData {
  @IsNested(Task) task!: Task;
}

export class SessionRunStartedData {
  @IsId() reply_id!: string;
}

export class SessionRunStoppedData {
  @IsIn(RUN_STOP_REASONS) reason!: RunStopReason;
}

export class SessionStateUpdatedData {
  /** A string, as `state.reply_id` always is; version 2 allowed null, which upcasting drops. */
  @Optional() @IsId() reply_id?: string;
  @Optional() @IsSafeInt(0) cur_iter?: number;
  @Optional() @IsNested(PermissionContext) permission_context?: PermissionContext;
  @Optional() @IsNested(ToolContext) tool_context?: ToolContext;
}

export class SessionTeamUpdatedData {
  @Nullable() @IsNested(TeamView) team!: TeamView | null;
}

/** A tombstone carries nothing; any key in its data is refused as unknown. */
export class SessionDeletedData {}

/**
 * Every event type with the class of its data. The wire types, their list and the union of event shapes are all
 * derived from this one object (./session-event), so a type cannot be listed without a shape or the reverse.
 * Wire names are stable: they are stored in the log forever, so never derive them from class names.
 */
export const SESSION_EVENT_DATA_DTOS = {
  'session.created': SessionCreatedData,
  'session.config_updated': SessionConfigUpdatedData,
  'session.context_appended': SessionContextAppendedData,
  'session.context_updated': SessionContextUpdatedData,
  'session.context_compacted': SessionContextCompactedData,
  'session.task_updated': SessionTaskUpdatedData,
  'session.run_started': SessionRunStartedData,
  'session.run_stopped': SessionRunStoppedData,
  'session.state_updated': SessionStateUpdatedData,
  'session.team_updated': SessionTeamUpdatedData,
  'session.deleted': SessionDeletedData,
} as const;
