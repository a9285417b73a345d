import seedSessionList from '../fixtures/seed-session-list.json';
import { jsonShapeDifferences } from './json-shape';

/** The seed API document's example SessionView (`sessions[0]` of its list response). */
export const SEED_SESSION_VIEW: unknown = seedSessionList.sessions[0];

/**
 * The fields the seed's origin service documents as nullable (DESIGN.md "Value domains"); the example
 * document shows each with a value, so a view may differ from it there only by holding null.
 */
export const SEED_NULLABLE_PATHS = [
  'session.config.chat_model_config',
  'session.config.fallback_chat_model_config',
  'session.source_schedule_id',
  'session.team_id',
  'session.state.context[].finished_at',
  'session.state.context[].usage',
  'session.state.tasks_context.tasks[].owner',
  'team',
] as const;

/** `status` is the one key a SessionView has beyond the seed. */
export const SEED_EXTRA_KEYS = ['status'] as const;

/**
 * Differences between a SessionView (as it would be serialized) and the seed's: nulls are allowed at
 * `SEED_NULLABLE_PATHS`; empty arrays only with `allowEmptyArrays`, since they prove no element shape.
 */
export function seedViewShapeDifferences(
  view: unknown,
  options: { allowEmptyArrays?: boolean } = {},
): string[] {
  return jsonShapeDifferences(JSON.parse(JSON.stringify(view)), SEED_SESSION_VIEW, {
    nullable: SEED_NULLABLE_PATHS,
    extraKeys: SEED_EXTRA_KEYS,
    allowEmptyArrays: options.allowEmptyArrays,
  });
}
