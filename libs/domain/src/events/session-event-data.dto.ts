import { IsIn, ValidateBy } from 'class-validator';
import { describeRule } from '../schema/json-schema';
import { SESSION_SOURCES, SessionSource } from '../session-view';
import {
  IsFreeform,
  IsId,
  IsSafeInt,
  IsIdList,
  IsNested,
  IsNestedList,
  IsDateTime,
  IsText,
  Nullable,
  Optional,
} from './field-rules';
import {
  ContentBlockDto,
  ContextItemDto,
  PermissionContextDto,
  SessionConfigDto,
  SessionConfigPatchDto,
  TaskDto,
  TeamViewDto,
  TokenUsageDto,
  ToolContextDto,
} from './session-view.dto';

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

export class SessionCreatedDataDto {
  @IsId() user_id!: string;
  @IsId() agent_id!: string;
  @IsNested(SessionConfigDto) config!: SessionConfigDto;
  @IsIn(SESSION_SOURCES) source!: SessionSource;
  @Nullable() @IsId() @NullUnlessScheduled() source_schedule_id!: string | null;
  @Nullable() @IsId() team_id!: string | null;
  @Optional() @IsNested(PermissionContextDto) permission_context?: PermissionContextDto;
  @Optional() @IsNested(ToolContextDto) tool_context?: ToolContextDto;
}

function NullUnlessScheduled(): PropertyDecorator {
  return ValidateBy({
    name: 'nullUnlessScheduled',
    validator: {
      validate: (_value, args) => (args?.object as SessionCreatedDataDto).source === 'schedule',
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

export class SessionConfigUpdatedDataDto {
  @IsNested(SessionConfigPatchDto) config!: SessionConfigPatchDto;
}

export class SessionContextAppendedDataDto {
  @IsNestedList(ContextItemDto) items!: ContextItemDto[];
}

export class SessionContextUpdatedDataDto {
  @IsId() id!: string;
  @Optional() @Nullable() @IsDateTime() finished_at?: string | null;
  @Optional() @Nullable() @IsNested(TokenUsageDto) usage?: TokenUsageDto | null;
  @Optional() @IsNestedList(ContentBlockDto) content?: ContentBlockDto[];
  @Optional() @IsFreeform() metadata?: Record<string, unknown>;
}

export class SessionContextCompactedDataDto {
  @IsText() summary!: string;
  @IsIdList() compacted_item_ids!: string[];
}

export class SessionTaskUpdatedDataDto {
  @IsNested(TaskDto) task!: TaskDto;
}

export class SessionRunStartedDataDto {
  @IsId() reply_id!: string;
}

export class SessionRunStoppedDataDto {
  @IsIn(RUN_STOP_REASONS) reason!: RunStopReason;
}

export class SessionStateUpdatedDataDto {
  /** A string, as `state.reply_id` always is; version 2 allowed null, which upcasting drops. */
  @Optional() @IsId() reply_id?: string;
  @Optional() @IsSafeInt(0) cur_iter?: number;
  @Optional() @IsNested(PermissionContextDto) permission_context?: PermissionContextDto;
  @Optional() @IsNested(ToolContextDto) tool_context?: ToolContextDto;
}

export class SessionTeamUpdatedDataDto {
  @Nullable() @IsNested(TeamViewDto) team!: TeamViewDto | null;
}

/** A tombstone carries nothing; any key in its data is refused as unknown. */
export class SessionDeletedDataDto {}

/**
 * Every event type with the class of its data. The wire types, their list and the union of event shapes are all
 * derived from this one object (./session-event), so a type cannot be listed without a shape or the reverse.
 * Wire names are stable: they are stored in the log forever, so never derive them from class names.
 */
export const SESSION_EVENT_DATA_DTOS = {
  'session.created': SessionCreatedDataDto,
  'session.config_updated': SessionConfigUpdatedDataDto,
  'session.context_appended': SessionContextAppendedDataDto,
  'session.context_updated': SessionContextUpdatedDataDto,
  'session.context_compacted': SessionContextCompactedDataDto,
  'session.task_updated': SessionTaskUpdatedDataDto,
  'session.run_started': SessionRunStartedDataDto,
  'session.run_stopped': SessionRunStoppedDataDto,
  'session.state_updated': SessionStateUpdatedDataDto,
  'session.team_updated': SessionTeamUpdatedDataDto,
  'session.deleted': SessionDeletedDataDto,
} as const;
