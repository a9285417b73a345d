import { IsBoolean, IsIn } from 'class-validator';
import {
  IsDateTime,
  IsFilePath,
  IsFiniteNumber,
  IsFreeform,
  IsId,
  IsIdList,
  IsNested,
  IsNestedList,
  IsSafeInt,
  IsShortString,
  IsShortStringList,
  IsText,
  IsTextList,
  Nullable,
} from './events/field-rules';

// The list endpoint's SessionView document, field for field and snake_case as the seed API document defines it;
// `status` is the one key beyond the seed (its origin service added it since).
//
// Declared once: each class is at the same time the TypeScript type the fold builds (plain objects of these
// shapes, never instances), the class-validator rules events are checked with, and, through toJsonSchemas, the
// JSON Schema of the compiled validator and of the OpenAPI document. Classes come before the classes that
// nest them, as a decorator reads its nested class when the outer class is defined.

export const SESSION_SOURCES = ['user', 'schedule', 'channel'] as const;
export type SessionSource = (typeof SESSION_SOURCES)[number];

export const SESSION_STATUSES = [
  'running',
  'idle',
  'awaiting_permission',
  'awaiting_external_result',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const TASK_STATES = ['pending', 'in_progress', 'completed'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const PERMISSION_MODES = ['default', 'accept_edits', 'explore', 'bypass', 'dont_ask'] as const;
export type PermissionMode = (typeof PERMISSION_MODES)[number];

/** A JSON object whose keys the service does not interpret (metadata, model parameters, rules, schemas). */
export type FreeformObject = Record<string, unknown>;

export class ChatModelConfig {
  @IsShortString() type!: string;
  @IsShortString() credential_id!: string;
  @IsShortString() model!: string;
  @IsFreeform() parameters!: FreeformObject;
}

export class SessionConfig {
  @IsId() workspace_id!: string;
  @IsShortString() name!: string;
  @Nullable() @IsNested(ChatModelConfig) chat_model_config!: ChatModelConfig | null;
  @Nullable() @IsNested(ChatModelConfig) fallback_chat_model_config!: ChatModelConfig | null;
}

export class ContentBlock {
  @IsText() text!: string;
  @IsShortString() type!: string;
  @IsId() id!: string;
}

export class TokenUsage {
  @IsSafeInt(0) input_tokens!: number;
  @IsSafeInt(0) output_tokens!: number;
}

export class ContextItem {
  @IsShortString() name!: string;
  @IsNestedList(ContentBlock) content!: ContentBlock[];
  @IsId() id!: string;
  @IsFreeform() metadata!: FreeformObject;
  @IsDateTime() created_at!: string;
  @Nullable() @IsDateTime() finished_at!: string | null;
  @Nullable() @IsNested(TokenUsage) usage!: TokenUsage | null;
}

export class PermissionContext {
  @IsIn(PERMISSION_MODES) mode!: PermissionMode;
  @IsFreeform() working_directories!: FreeformObject;
  @IsFreeform() allow_rules!: FreeformObject;
  @IsFreeform() deny_rules!: FreeformObject;
  @IsFreeform() ask_rules!: FreeformObject;
}

export class ReadFileCacheEntry {
  @IsTextList() lines!: string[];
  /** Epoch seconds. */
  @IsFiniteNumber(0) updated_at!: number;
  @IsSafeInt(0) bytes!: number;
  @IsFilePath() file_path!: string;
}

export class ToolContext {
  @IsSafeInt(0) max_cache_files!: number;
  @IsFiniteNumber(0) max_cache_bytes!: number;
  @IsNestedList(ReadFileCacheEntry) read_file_cache!: ReadFileCacheEntry[];
  @IsShortStringList() activated_groups!: string[];
}

export class Task {
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

export class TasksContext {
  @IsNestedList(Task) tasks!: Task[];
}

export class SessionState {
  @IsId() session_id!: string;
  @IsText() summary!: string;
  @IsNestedList(ContextItem) context!: ContextItem[];
  /** From creation on: the created event's id until the first run names its own (see fold.ts). */
  @IsId() reply_id!: string;
  @IsSafeInt(0) cur_iter!: number;
  @IsNested(PermissionContext) permission_context!: PermissionContext;
  @IsNested(ToolContext) tool_context!: ToolContext;
  @IsNested(TasksContext) tasks_context!: TasksContext;
}

export class TeamData {
  @IsShortString() name!: string;
  @IsText() description!: string;
  @IsIdList() member_ids!: string[];
}

export class Team {
  @IsId() user_id!: string;
  @IsId() session_id!: string;
  @IsNested(TeamData) data!: TeamData;
  @IsId() id!: string;
  @IsDateTime() updated_at!: string;
  @IsDateTime() created_at!: string;
}

export class ContextConfig {
  @IsFiniteNumber(0, 1) trigger_ratio!: number;
  @IsFiniteNumber(0, 1) reserve_ratio!: number;
  @IsText() compression_prompt!: string;
  @IsText() summary_template!: string;
  @IsFreeform() summary_schema!: FreeformObject;
  @IsSafeInt(0) tool_result_limit!: number;
}

export class ReactConfig {
  @IsSafeInt(0) max_iters!: number;
  @IsBoolean() stop_on_reject!: boolean;
}

export class AgentData {
  @IsShortString() name!: string;
  @IsNested(ContextConfig) context_config!: ContextConfig;
  @IsNested(ReactConfig) react_config!: ReactConfig;
  @IsId() id!: string;
  @IsText() system_prompt!: string;
}

export class AgentRecord {
  @IsId() user_id!: string;
  @IsNested(AgentData) data!: AgentData;
  @IsId() id!: string;
  @IsDateTime() updated_at!: string;
  @IsDateTime() created_at!: string;
  @IsShortString() source!: string;
}

export class TeamMember {
  @IsNested(AgentRecord) agent!: AgentRecord;
  @IsId() session_id!: string;
}

export class TeamView {
  @IsNested(Team) team!: Team;
  @IsNested(AgentRecord) leader_agent!: AgentRecord;
  @IsNestedList(TeamMember) members!: TeamMember[];
}

export class SessionRecord {
  @IsId() user_id!: string;
  @IsId() agent_id!: string;
  @IsNested(SessionConfig) config!: SessionConfig;
  @IsId() id!: string;
  @IsDateTime() updated_at!: string;
  @IsDateTime() created_at!: string;
  @IsIn(SESSION_SOURCES) source!: SessionSource;
  @Nullable() @IsId() source_schedule_id!: string | null;
  @Nullable() @IsId() team_id!: string | null;
  @IsNested(SessionState) state!: SessionState;
}

export class SessionView {
  @IsNested(SessionRecord) session!: SessionRecord;
  @IsBoolean() is_running!: boolean;
  @IsIn(SESSION_STATUSES) status!: SessionStatus;
  @Nullable() @IsNested(TeamView) team!: TeamView | null;
}
