// The list endpoint's SessionView document, field for field and snake_case as the seed API document
// defines it; `status` is the one key beyond the seed (its origin service added it since).

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

export interface SessionView {
  session: SessionRecord;
  is_running: boolean;
  status: SessionStatus;
  team: TeamView | null;
}

export interface SessionRecord {
  user_id: string;
  agent_id: string;
  config: SessionConfig;
  id: string;
  updated_at: string;
  created_at: string;
  source: SessionSource;
  source_schedule_id: string | null;
  team_id: string | null;
  state: SessionState;
}

export interface SessionConfig {
  workspace_id: string;
  name: string;
  chat_model_config: ChatModelConfig | null;
  fallback_chat_model_config: ChatModelConfig | null;
}

export interface ChatModelConfig {
  type: string;
  credential_id: string;
  model: string;
  parameters: FreeformObject;
}

export interface SessionState {
  session_id: string;
  summary: string;
  context: ContextItem[];
  /** From creation on: the created event's id until the first run names its own (see fold.ts). */
  reply_id: string;
  cur_iter: number;
  permission_context: PermissionContext;
  tool_context: ToolContext;
  tasks_context: TasksContext;
}

export interface ContextItem {
  name: string;
  content: ContentBlock[];
  id: string;
  metadata: FreeformObject;
  created_at: string;
  finished_at: string | null;
  usage: TokenUsage | null;
}

export interface ContentBlock {
  text: string;
  type: string;
  id: string;
}

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
}

export interface PermissionContext {
  mode: PermissionMode;
  working_directories: FreeformObject;
  allow_rules: FreeformObject;
  deny_rules: FreeformObject;
  ask_rules: FreeformObject;
}

export interface ToolContext {
  max_cache_files: number;
  max_cache_bytes: number;
  read_file_cache: ReadFileCacheEntry[];
  activated_groups: string[];
}

export interface ReadFileCacheEntry {
  lines: string[];
  /** Epoch seconds. */
  updated_at: number;
  bytes: number;
  file_path: string;
}

export interface TasksContext {
  tasks: Task[];
}

export interface Task {
  subject: string;
  description: string;
  metadata: FreeformObject;
  created_at: string;
  state: TaskState;
  id: string;
  owner: string | null;
  blocks: string[];
  blocked_by: string[];
}

export interface TeamView {
  team: Team;
  leader_agent: AgentRecord;
  members: TeamMember[];
}

export interface Team {
  user_id: string;
  session_id: string;
  data: TeamData;
  id: string;
  updated_at: string;
  created_at: string;
}

export interface TeamData {
  name: string;
  description: string;
  member_ids: string[];
}

export interface AgentRecord {
  user_id: string;
  data: AgentData;
  id: string;
  updated_at: string;
  created_at: string;
  source: string;
}

export interface AgentData {
  name: string;
  context_config: ContextConfig;
  react_config: ReactConfig;
  id: string;
  system_prompt: string;
}

export interface ContextConfig {
  trigger_ratio: number;
  reserve_ratio: number;
  compression_prompt: string;
  summary_template: string;
  summary_schema: FreeformObject;
  tool_result_limit: number;
}

export interface ReactConfig {
  max_iters: number;
  stop_on_reject: boolean;
}

export interface TeamMember {
  agent: AgentRecord;
  session_id: string;
}
