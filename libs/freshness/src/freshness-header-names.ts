// Every name a client reads or sends for positions and freshness, in one place for the routes, the OpenAPI
// document, the tests and the console (which imports this file as it is: it depends on nothing).

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
