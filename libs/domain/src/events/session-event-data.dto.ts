import { IsIn, IsInt, Min, ValidateBy } from 'class-validator';
import { describeRule } from '../schema/json-schema';
import { SESSION_SOURCES, SessionSource } from '../session-view';
import {
  IsFreeform,
  IsId,
  IsIdList,
  IsNested,
  IsNestedList,
  IsDateTime,
  IsText,
  Nullable,
  Optional,
} from './field-rules';
import {
  RUN_STOP_REASONS,
  RunStopReason,
  SessionConfigUpdatedData,
  SessionContextAppendedData,
  SessionContextCompactedData,
  SessionContextUpdatedData,
  SessionCreatedData,
  SessionEventType,
  SessionRunStartedData,
  SessionRunStoppedData,
  SessionStateUpdatedData,
  SessionTaskUpdatedData,
  SessionTeamUpdatedData,
} from './session-event';
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

// One validation class per event type's `data`; each implements the data interface the fold reads.

export class SessionCreatedDataDto implements SessionCreatedData {
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

export class SessionConfigUpdatedDataDto implements SessionConfigUpdatedData {
  @IsNested(SessionConfigPatchDto) config!: SessionConfigPatchDto;
}

export class SessionContextAppendedDataDto implements SessionContextAppendedData {
  @IsNestedList(ContextItemDto) items!: ContextItemDto[];
}

export class SessionContextUpdatedDataDto implements SessionContextUpdatedData {
  @IsId() id!: string;
  @Optional() @Nullable() @IsDateTime() finished_at?: string | null;
  @Optional() @Nullable() @IsNested(TokenUsageDto) usage?: TokenUsageDto | null;
  @Optional() @IsNestedList(ContentBlockDto) content?: ContentBlockDto[];
  @Optional() @IsFreeform() metadata?: Record<string, unknown>;
}

export class SessionContextCompactedDataDto implements SessionContextCompactedData {
  @IsText() summary!: string;
  @IsIdList() compacted_item_ids!: string[];
}

export class SessionTaskUpdatedDataDto implements SessionTaskUpdatedData {
  @IsNested(TaskDto) task!: TaskDto;
}

export class SessionRunStartedDataDto implements SessionRunStartedData {
  @IsId() reply_id!: string;
}

export class SessionRunStoppedDataDto implements SessionRunStoppedData {
  @IsIn(RUN_STOP_REASONS) reason!: RunStopReason;
}

export class SessionStateUpdatedDataDto implements SessionStateUpdatedData {
  @Optional() @Nullable() @IsId() reply_id?: string | null;
  @Optional() @IsInt() @Min(0) cur_iter?: number;
  @Optional() @IsNested(PermissionContextDto) permission_context?: PermissionContextDto;
  @Optional() @IsNested(ToolContextDto) tool_context?: ToolContextDto;
}

export class SessionTeamUpdatedDataDto implements SessionTeamUpdatedData {
  @Nullable() @IsNested(TeamViewDto) team!: TeamViewDto | null;
}

/** A tombstone carries nothing; any key in its data is refused as unknown. */
export class SessionDeletedDataDto {}

export const SESSION_EVENT_DATA_DTOS: Record<SessionEventType, new () => object> = {
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
};
