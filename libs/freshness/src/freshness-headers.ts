import { formatPositionToken } from '@app/ports';
import { FRESHNESS_HEADERS } from './freshness-header-names';
import type { Freshness } from './projection-watcher';

export function freshnessHeaders(freshness: Freshness): Record<string, string> {
  return {
    [FRESHNESS_HEADERS.position]: formatPositionToken(freshness.applied),
    [FRESHNESS_HEADERS.eventsBehind]: String(freshness.eventsBehind),
    [FRESHNESS_HEADERS.msBehind]: String(freshness.msBehind),
  };
}

/** The response headers as the OpenAPI document describes them on every read. */
export const FRESHNESS_HEADER_DOCS = {
  [FRESHNESS_HEADERS.position]: {
    description:
      "The log position the projection had applied when this answer was read: the answer reflects at least every event up to it. Compare with a write's `Log-Position` through `min_position`, not by text. Empty before the projection applied anything.",
    schema: { type: 'string' },
  },
  [FRESHNESS_HEADERS.eventsBehind]: {
    description:
      "Events in the log the projection had not applied, as of the query API's last look at the log (within PROJECTION_WATCH_MS while reads wait, 250 ms otherwise).",
    schema: { type: 'integer', minimum: 0 },
  },
  [FRESHNESS_HEADERS.msBehind]: {
    description:
      'How long the oldest of those events has waited, in milliseconds, counted from when this query API first saw it in the log; 0 when none waits.',
    schema: { type: 'integer', minimum: 0 },
  },
} as const;
