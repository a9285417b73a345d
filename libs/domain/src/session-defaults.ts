import { PermissionContext, ToolContext } from './session-view';

// Defaults of the seed's origin service, used when session.created leaves these contexts out.

export function defaultPermissionContext(): PermissionContext {
  return { mode: 'default', working_directories: {}, allow_rules: {}, deny_rules: {}, ask_rules: {} };
}

export function defaultToolContext(): ToolContext {
  return { max_cache_files: 100, max_cache_bytes: 25000, read_file_cache: [], activated_groups: [] };
}
