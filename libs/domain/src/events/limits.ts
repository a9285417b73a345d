// Bounds on what one event may carry, so a runaway or hostile emitter cannot grow a view document past
// what the stores accept or make validation walk an unbounded structure.

/** Ids, names, model names, enum-like strings: characters. */
export const MAX_ID_LENGTH = 256;

/** File paths in the tool cache: characters (Linux PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;

/** Free text (content text, summaries, prompts, descriptions, file lines): UTF-8 bytes. */
export const MAX_TEXT_BYTES = 1024 * 1024;

/** Free-form objects (metadata, model parameters, permission rules, schemas): levels, the object itself is 1. */
export const MAX_FREEFORM_DEPTH = 8;

/**
 * Levels of the whole event, the event itself is 1. The deepest shape events carry (a team member's agent's
 * `summary_schema` at the free-form limit) ends at 17; anything deeper is refused before a validator recurses.
 */
export const MAX_EVENT_DEPTH = 32;

/** Values (objects, arrays, strings, numbers...) in one event: bounds the work any input can cause. */
export const MAX_EVENT_VALUES = 1_000_000;

/** Field errors one refusal lists; a hostile event could otherwise produce one per array element. */
export const MAX_FIELD_ERRORS = 100;
