import { formatPositionToken } from '@app/ports';
import type { Freshness } from './projection-watcher';

// Every name a client reads or sends for positions and freshness, in one place for the routes, the OpenAPI
// document and the tests.

/** On a write's acknowledgement: the position a read names to see the write. */
export const LOG_POSITION_HEADER = 'Log-Position';
/** On a read: answer only once the projection has applied this position (or `min_position` in the query). */
export const MIN_POSITION_HEADER = 'min-position';
export const MIN_POSITION_PARAM = 'min_position';
/** On a read: wait this long at most for `min_position` (capped by POSITION_WAIT_MAX_MS). */
export const MAX_WAIT_PARAM = 'max_wait_ms';

/** On every read's answer: how fresh it is. */
export const FRESHNESS_HEADERS = {
  position: 'Projection-Position',
  eventsBehind: 'Projection-Lag-Events',
  msBehind: 'Projection-Lag-Ms',
} as const;

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
