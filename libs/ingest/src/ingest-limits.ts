// What one POST /sessions/events may carry. A batch is appended in one transaction (or one produce call), so its
// size bounds how long an ingest holds the write queue; the body limit leaves room for events near the domain's
// per-field limits (free text up to 1 MiB) without letting one request buffer an unbounded body.

export const MAX_EVENTS_PER_BATCH = 500;

export const INGEST_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
