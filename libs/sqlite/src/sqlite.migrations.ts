// Applied in order at start-up; `PRAGMA user_version` records how many have run. Append, never edit: a released
// migration has already run on someone's data directory. View tables are not here: each generation creates its own.

export const MIGRATIONS: readonly string[] = [
  `
  -- The event log, which is also the embedded archive (see SqliteEventArchive). AUTOINCREMENT keeps positions
  -- from ever being reused, so the tailer's stored position always means the same event.
  CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    occurred_at_key TEXT NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    event TEXT NOT NULL,
    UNIQUE (session_id, seq)
  );

  -- The latest change of each session, positioned for resuming subscribers: a compacted topic in a table.
  CREATE TABLE changes (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL UNIQUE,
    change TEXT NOT NULL
  );

  CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payload BLOB NOT NULL,
    record_key TEXT,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    source_topic TEXT NOT NULL,
    source_partition INTEGER,
    source_offset TEXT,
    session_id TEXT,
    event_id TEXT,
    dead_lettered_at TEXT NOT NULL
  );

  CREATE TABLE view_generations (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );

  CREATE TABLE active_view_generation (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    name TEXT NOT NULL REFERENCES view_generations (name)
  );

  CREATE TABLE tailer_positions (
    tailer TEXT PRIMARY KEY,
    position INTEGER NOT NULL
  );
  `,
  `
  -- Stamped and fenced view generations (see ViewGenerations). A generation from before this migration has no
  -- stamp, so writers ask for a rebuild instead of writing rows of an older layout; the active one has served.
  ALTER TABLE view_generations ADD COLUMN fold_version INTEGER;
  ALTER TABLE view_generations ADD COLUMN shape TEXT;
  ALTER TABLE view_generations ADD COLUMN served INTEGER NOT NULL DEFAULT 0;
  UPDATE view_generations SET served = 1 WHERE name IN (SELECT name FROM active_view_generation);
  `,
  `
  -- When an operator sent a dead letter back through the projector (see SqliteDeadLetterSink.markRedriven).
  ALTER TABLE dead_letters ADD COLUMN redriven_at TEXT;
  `,
  `
  -- A resuming change stream replays only its caller's sessions of one agent (SqliteChangeFeed's scoped backlog).
  CREATE INDEX changes_by_scope ON changes (
    json_extract(change, '$.user_id'),
    json_extract(change, '$.agent_id'),
    position
  );
  `,
  `
  -- Which event rules (eventRulesFingerprint) accepted the row before it was stored. The tailer takes a row that
  -- names this build's rules as it is; any other (stored before this column, by another build, or written into
  -- the file by anything but this store's append) is validated again and dead-lettered if it fails.
  ALTER TABLE events ADD COLUMN validated_by TEXT;
  `,
  `
  -- The scope of a change as columns of its own: the expression index of migration 3 parsed each change's JSON,
  -- which holds the whole view, on every write and every replacement.
  ALTER TABLE changes ADD COLUMN user_id TEXT;
  ALTER TABLE changes ADD COLUMN agent_id TEXT;
  UPDATE changes SET user_id = json_extract(change, '$.user_id'), agent_id = json_extract(change, '$.agent_id');
  DROP INDEX changes_by_scope;
  CREATE INDEX changes_by_scope ON changes (user_id, agent_id, position);
  `,
];
