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
  SESSION_SOURCES,
  SESSION_STATUSES,
  SessionConfig,
  SessionRecord,
  SessionSource,
  SessionState,
  SessionStatus,
  SessionView,
  Task,
  TASK_STATES,
  TaskState,
  TasksContext,
  Team,
  TeamData,
  TeamMember,
  TeamView,
  TokenUsage,
  ToolContext,
} from '@app/domain';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';

// The OpenAPI description of SessionView, key for key as the seed API document has it. Each class implements the
// domain type it describes, so a field added to the view without its schema here does not compile; a spec
// compares these schemas with the seed's example document.

const freeform = { type: 'object', additionalProperties: true } as const;
const timestamp = { type: 'string', format: 'date-time', example: '2023-11-07T05:31:56Z' } as const;

@ApiSchema({ name: 'ChatModelConfig' })
export class ChatModelConfigSchema implements ChatModelConfig {
  @ApiProperty() type!: string;
  @ApiProperty() credential_id!: string;
  @ApiProperty() model!: string;
  @ApiProperty(freeform) parameters!: FreeformObject;
}

@ApiSchema({ name: 'SessionConfig' })
export class SessionConfigSchema implements SessionConfig {
  @ApiProperty() workspace_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: () => ChatModelConfigSchema, nullable: true })
  chat_model_config!: ChatModelConfig | null;
  @ApiProperty({ type: () => ChatModelConfigSchema, nullable: true })
  fallback_chat_model_config!: ChatModelConfig | null;
}

@ApiSchema({ name: 'ContentBlock' })
export class ContentBlockSchema implements ContentBlock {
  @ApiProperty() text!: string;
  @ApiProperty({ example: 'text' }) type!: string;
  @ApiProperty() id!: string;
}

@ApiSchema({ name: 'TokenUsage' })
export class TokenUsageSchema implements TokenUsage {
  @ApiProperty({ type: 'integer' }) input_tokens!: number;
  @ApiProperty({ type: 'integer' }) output_tokens!: number;
}

@ApiSchema({ name: 'ContextItem' })
export class ContextItemSchema implements ContextItem {
  @ApiProperty() name!: string;
  @ApiProperty({ type: () => [ContentBlockSchema] }) content!: ContentBlock[];
  @ApiProperty() id!: string;
  @ApiProperty(freeform) metadata!: FreeformObject;
  @ApiProperty() created_at!: string;
  @ApiProperty({ type: 'string', nullable: true }) finished_at!: string | null;
  @ApiProperty({ type: () => TokenUsageSchema, nullable: true }) usage!: TokenUsage | null;
}

@ApiSchema({ name: 'PermissionContext' })
export class PermissionContextSchema implements PermissionContext {
  @ApiProperty({ enum: PERMISSION_MODES, example: 'default' }) mode!: PermissionMode;
  @ApiProperty(freeform) working_directories!: FreeformObject;
  @ApiProperty(freeform) allow_rules!: FreeformObject;
  @ApiProperty(freeform) deny_rules!: FreeformObject;
  @ApiProperty(freeform) ask_rules!: FreeformObject;
}

@ApiSchema({ name: 'ReadFileCacheEntry' })
export class ReadFileCacheEntrySchema implements ReadFileCacheEntry {
  @ApiProperty({ type: [String] }) lines!: string[];
  @ApiProperty({ type: 'number', description: 'Epoch seconds.' }) updated_at!: number;
  @ApiProperty({ type: 'integer' }) bytes!: number;
  @ApiProperty() file_path!: string;
}

@ApiSchema({ name: 'ToolContext' })
export class ToolContextSchema implements ToolContext {
  @ApiProperty({ type: 'integer', example: 100 }) max_cache_files!: number;
  @ApiProperty({ type: 'number', example: 25000 }) max_cache_bytes!: number;
  @ApiProperty({ type: () => [ReadFileCacheEntrySchema] }) read_file_cache!: ReadFileCacheEntry[];
  @ApiProperty({ type: [String] }) activated_groups!: string[];
}

@ApiSchema({ name: 'Task' })
export class TaskSchema implements Task {
  @ApiProperty() subject!: string;
  @ApiProperty() description!: string;
  @ApiProperty(freeform) metadata!: FreeformObject;
  @ApiProperty() created_at!: string;
  @ApiProperty({ enum: TASK_STATES, example: 'pending' }) state!: TaskState;
  @ApiProperty() id!: string;
  @ApiProperty({ type: 'string', nullable: true }) owner!: string | null;
  @ApiProperty({ type: [String] }) blocks!: string[];
  @ApiProperty({ type: [String] }) blocked_by!: string[];
}

@ApiSchema({ name: 'TasksContext' })
export class TasksContextSchema implements TasksContext {
  @ApiProperty({ type: () => [TaskSchema] }) tasks!: Task[];
}

@ApiSchema({ name: 'SessionState' })
export class SessionStateSchema implements SessionState {
  @ApiProperty() session_id!: string;
  @ApiProperty({ example: '' }) summary!: string;
  @ApiProperty({ type: () => [ContextItemSchema] }) context!: ContextItem[];
  @ApiProperty() reply_id!: string;
  @ApiProperty({ type: 'integer', example: 0 }) cur_iter!: number;
  @ApiProperty({ type: () => PermissionContextSchema }) permission_context!: PermissionContext;
  @ApiProperty({ type: () => ToolContextSchema }) tool_context!: ToolContext;
  @ApiProperty({ type: () => TasksContextSchema }) tasks_context!: TasksContext;
}

@ApiSchema({ name: 'SessionRecord' })
export class SessionRecordSchema implements SessionRecord {
  @ApiProperty() user_id!: string;
  @ApiProperty() agent_id!: string;
  @ApiProperty({ type: () => SessionConfigSchema }) config!: SessionConfig;
  @ApiProperty() id!: string;
  @ApiProperty(timestamp) updated_at!: string;
  @ApiProperty(timestamp) created_at!: string;
  @ApiProperty({ enum: SESSION_SOURCES, example: 'user' }) source!: SessionSource;
  @ApiProperty({ type: 'string', nullable: true, description: "Null unless source is 'schedule'." })
  source_schedule_id!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) team_id!: string | null;
  @ApiProperty({ type: () => SessionStateSchema }) state!: SessionState;
}

@ApiSchema({ name: 'TeamData' })
export class TeamDataSchema implements TeamData {
  @ApiProperty() name!: string;
  @ApiProperty({ example: '' }) description!: string;
  @ApiProperty({ type: [String] }) member_ids!: string[];
}

@ApiSchema({ name: 'Team' })
export class TeamSchema implements Team {
  @ApiProperty() user_id!: string;
  @ApiProperty() session_id!: string;
  @ApiProperty({ type: () => TeamDataSchema }) data!: TeamData;
  @ApiProperty() id!: string;
  @ApiProperty(timestamp) updated_at!: string;
  @ApiProperty(timestamp) created_at!: string;
}

@ApiSchema({ name: 'ContextConfig' })
export class ContextConfigSchema implements ContextConfig {
  @ApiProperty({ type: 'number', example: 0.8 }) trigger_ratio!: number;
  @ApiProperty({ type: 'number', example: 0.1 }) reserve_ratio!: number;
  @ApiProperty() compression_prompt!: string;
  @ApiProperty() summary_template!: string;
  @ApiProperty(freeform) summary_schema!: FreeformObject;
  @ApiProperty({ type: 'integer', example: 3000 }) tool_result_limit!: number;
}

@ApiSchema({ name: 'ReactConfig' })
export class ReactConfigSchema implements ReactConfig {
  @ApiProperty({ type: 'integer', example: 20 }) max_iters!: number;
  @ApiProperty({ example: false }) stop_on_reject!: boolean;
}

@ApiSchema({ name: 'AgentData' })
export class AgentDataSchema implements AgentData {
  @ApiProperty() name!: string;
  @ApiProperty({ type: () => ContextConfigSchema }) context_config!: ContextConfig;
  @ApiProperty({ type: () => ReactConfigSchema }) react_config!: ReactConfig;
  @ApiProperty() id!: string;
  @ApiProperty({ example: "You're a helpful assistant." }) system_prompt!: string;
}

@ApiSchema({ name: 'AgentRecord' })
export class AgentRecordSchema implements AgentRecord {
  @ApiProperty() user_id!: string;
  @ApiProperty({ type: () => AgentDataSchema }) data!: AgentData;
  @ApiProperty() id!: string;
  @ApiProperty(timestamp) updated_at!: string;
  @ApiProperty(timestamp) created_at!: string;
  @ApiProperty({ example: 'user' }) source!: string;
}

@ApiSchema({ name: 'TeamMember' })
export class TeamMemberSchema implements TeamMember {
  @ApiProperty({ type: () => AgentRecordSchema }) agent!: AgentRecord;
  @ApiProperty() session_id!: string;
}

@ApiSchema({ name: 'TeamView' })
export class TeamViewSchema implements TeamView {
  @ApiProperty({ type: () => TeamSchema }) team!: Team;
  @ApiProperty({ type: () => AgentRecordSchema }) leader_agent!: AgentRecord;
  @ApiProperty({ type: () => [TeamMemberSchema] }) members!: TeamMember[];
}

@ApiSchema({ name: 'SessionView', description: 'Session views (record + is_running + team).' })
export class SessionViewSchema implements SessionView {
  @ApiProperty({ type: () => SessionRecordSchema }) session!: SessionRecord;
  @ApiProperty() is_running!: boolean;
  @ApiProperty({
    enum: SESSION_STATUSES,
    description:
      'Beyond the seed: running, idle, or what a stopped run waits for (awaiting_permission, awaiting_external_result).',
  })
  status!: SessionStatus;
  @ApiProperty({ type: () => TeamViewSchema, nullable: true }) team!: TeamView | null;
}

@ApiSchema({ name: 'SessionList', description: 'Response body for listing sessions.' })
export class SessionListSchema {
  @ApiProperty({
    type: () => [SessionViewSchema],
    description: 'Session views (record + is_running + team).',
  })
  sessions!: SessionView[];
  @ApiProperty({ type: 'integer', description: 'Total number of sessions.' }) total!: number;
}

@ApiSchema({ name: 'SessionEventPage', description: "A page of a session's archived events, in seq order." })
export class SessionEventPageSchema {
  @ApiProperty({ type: 'array', items: { $ref: '#/components/schemas/SessionEvent' } })
  events!: unknown[];
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: '`after_seq` for the next page; null when this page was not full.',
  })
  next_after_seq!: number | null;
}

@ApiSchema({
  name: 'SessionStateAt',
  description: 'A session folded from its archived events up to a point.',
})
export class SessionStateAtSchema {
  @ApiProperty() session_id!: string;
  @ApiProperty({ type: 'integer', description: 'seq of the last event applied at that point.' })
  version!: number;
  @ApiProperty({ description: 'Whether the session was deleted at that point.' }) deleted!: boolean;
  @ApiProperty({ type: () => SessionViewSchema }) view!: SessionView;
}
