import { IsBoolean, IsIn } from 'class-validator';
import {
  AgentData,
  AgentRecord,
  ChatModelConfig,
  ContentBlock,
  ContextConfig,
  ContextItem,
  FreeformObject,
  PERMISSION_MODES,
  PermissionContext,
  PermissionMode,
  ReactConfig,
  ReadFileCacheEntry,
  SessionConfig,
  Task,
  TASK_STATES,
  TaskState,
  Team,
  TeamData,
  TeamMember,
  TeamView,
  TokenUsage,
  ToolContext,
} from '../session-view';
import {
  IsFilePath,
  IsFiniteNumber,
  IsFreeform,
  IsSafeInt,
  IsId,
  IsIdList,
  IsNested,
  IsNestedList,
  IsShortString,
  IsShortStringList,
  IsText,
  IsTextList,
  IsDateTime,
  Nullable,
  Optional,
} from './field-rules';

// Validation classes for the parts of SessionView that events carry. Each implements its view type, so a
// field added to the view without a rule here fails to compile.

export class ChatModelConfigDto implements ChatModelConfig {
  @IsShortString() type!: string;
  @IsShortString() credential_id!: string;
  @IsShortString() model!: string;
  @IsFreeform() parameters!: FreeformObject;
}

export class SessionConfigDto implements SessionConfig {
  @IsId() workspace_id!: string;
  @IsShortString() name!: string;
  @Nullable() @IsNested(ChatModelConfigDto) chat_model_config!: ChatModelConfigDto | null;
  @Nullable() @IsNested(ChatModelConfigDto) fallback_chat_model_config!: ChatModelConfigDto | null;
}

/** session.config_updated replaces only the keys it carries. */
export class SessionConfigPatchDto implements Partial<SessionConfig> {
  @Optional() @IsId() workspace_id?: string;
  @Optional() @IsShortString() name?: string;
  @Optional() @Nullable() @IsNested(ChatModelConfigDto) chat_model_config?: ChatModelConfigDto | null;
  @Optional()
  @Nullable()
  @IsNested(ChatModelConfigDto)
  fallback_chat_model_config?: ChatModelConfigDto | null;
}

export class ContentBlockDto implements ContentBlock {
  @IsText() text!: string;
  @IsShortString() type!: string;
  @IsId() id!: string;
}

export class TokenUsageDto implements TokenUsage {
  @IsSafeInt(0) input_tokens!: number;
  @IsSafeInt(0) output_tokens!: number;
}

export class ContextItemDto implements ContextItem {
  @IsShortString() name!: string;
  @IsNestedList(ContentBlockDto) content!: ContentBlockDto[];
  @IsId() id!: string;
  @IsFreeform() metadata!: FreeformObject;
  @IsDateTime() created_at!: string;
  @Nullable() @IsDateTime() finished_at!: string | null;
  @Nullable() @IsNested(TokenUsageDto) usage!: TokenUsageDto | null;
}

export class PermissionContextDto implements PermissionContext {
  @IsIn(PERMISSION_MODES) mode!: PermissionMode;
  @IsFreeform() working_directories!: FreeformObject;
  @IsFreeform() allow_rules!: FreeformObject;
  @IsFreeform() deny_rules!: FreeformObject;
  @IsFreeform() ask_rules!: FreeformObject;
}

export class ReadFileCacheEntryDto implements ReadFileCacheEntry {
  @IsTextList() lines!: string[];
  @IsFiniteNumber(0) updated_at!: number;
  @IsSafeInt(0) bytes!: number;
  @IsFilePath() file_path!: string;
}

export class ToolContextDto implements ToolContext {
  @IsSafeInt(0) max_cache_files!: number;
  @IsFiniteNumber(0) max_cache_bytes!: number;
  @IsNestedList(ReadFileCacheEntryDto) read_file_cache!: ReadFileCacheEntryDto[];
  @IsShortStringList() activated_groups!: string[];
}

export class TaskDto implements Task {
  @IsText() subject!: string;
  @IsText() description!: string;
  @IsFreeform() metadata!: FreeformObject;
  @IsDateTime() created_at!: string;
  @IsIn(TASK_STATES) state!: TaskState;
  @IsId() id!: string;
  @Nullable() @IsId() owner!: string | null;
  @IsIdList() blocks!: string[];
  @IsIdList() blocked_by!: string[];
}

export class TeamDataDto implements TeamData {
  @IsShortString() name!: string;
  @IsText() description!: string;
  @IsIdList() member_ids!: string[];
}

export class TeamDto implements Team {
  @IsId() user_id!: string;
  @IsId() session_id!: string;
  @IsNested(TeamDataDto) data!: TeamDataDto;
  @IsId() id!: string;
  @IsDateTime() updated_at!: string;
  @IsDateTime() created_at!: string;
}

export class ContextConfigDto implements ContextConfig {
  @IsFiniteNumber(0, 1) trigger_ratio!: number;
  @IsFiniteNumber(0, 1) reserve_ratio!: number;
  @IsText() compression_prompt!: string;
  @IsText() summary_template!: string;
  @IsFreeform() summary_schema!: FreeformObject;
  @IsSafeInt(0) tool_result_limit!: number;
}

export class ReactConfigDto implements ReactConfig {
  @IsSafeInt(0) max_iters!: number;
  @IsBoolean() stop_on_reject!: boolean;
}

export class AgentDataDto implements AgentData {
  @IsShortString() name!: string;
  @IsNested(ContextConfigDto) context_config!: ContextConfigDto;
  @IsNested(ReactConfigDto) react_config!: ReactConfigDto;
  @IsId() id!: string;
  @IsText() system_prompt!: string;
}

export class AgentRecordDto implements AgentRecord {
  @IsId() user_id!: string;
  @IsNested(AgentDataDto) data!: AgentDataDto;
  @IsId() id!: string;
  @IsDateTime() updated_at!: string;
  @IsDateTime() created_at!: string;
  @IsShortString() source!: string;
}

export class TeamMemberDto implements TeamMember {
  @IsNested(AgentRecordDto) agent!: AgentRecordDto;
  @IsId() session_id!: string;
}

export class TeamViewDto implements TeamView {
  @IsNested(TeamDto) team!: TeamDto;
  @IsNested(AgentRecordDto) leader_agent!: AgentRecordDto;
  @IsNestedList(TeamMemberDto) members!: TeamMemberDto[];
}
