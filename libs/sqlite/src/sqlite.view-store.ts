import { SessionProjection, instantKey } from '@app/domain';
import { SessionListPage, SessionListQuery, ViewStore, ViewWrite, ViewWriteResult } from '@app/ports';
import { Connection, SqliteDatabase } from './sqlite.database';

/**
 * The same limit as the MongoDB store (16 MiB BSON less headroom), although SQLite would take far more: a view the
 * embedded profile accepts must also fit in production, or moving a data set there would fail part way.
 */
const MAX_VIEW_DOCUMENT_BYTES = 15 * 1024 * 1024;

/** The table of one generation: its name, validated by SqliteViewGenerations before it reaches any SQL. */
export function createViewTableSql(table: string): string {
  // Everything the list query filters or sorts on is copied beside the projection's JSON; the index serves the
  // owner's equality, the tombstone filter and the newest-first order in one range.
  return `
    CREATE TABLE "${table}" (
      session_id TEXT PRIMARY KEY,
      version INTEGER NOT NULL,
      deleted INTEGER NOT NULL,
      user_id TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      updated_at_key TEXT NOT NULL,
      is_running INTEGER NOT NULL,
      status TEXT NOT NULL,
      source TEXT NOT NULL,
      team_id TEXT,
      projection TEXT NOT NULL
    );
    CREATE INDEX "${table}_list" ON "${table}" (user_id, agent_id, deleted, updated_at_key DESC, session_id);
  `;
}

/** The SessionView projections of one generation, as JSON documents in one table. */
export class SqliteViewStore extends ViewStore {
  readonly maxDocumentBytes = MAX_VIEW_DOCUMENT_BYTES;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly table: string,
  ) {
    super();
  }

  async get(sessionId: string): Promise<SessionProjection | null> {
    const row = this.database.read((connection) =>
      this.statement(connection, `SELECT projection FROM "${this.table}" WHERE session_id = ?`).get(
        sessionId,
      ),
    ) as { projection: string } | undefined;
    return row ? (JSON.parse(row.projection) as SessionProjection) : null;
  }

  async getMany(sessionIds: readonly string[]): Promise<Map<string, SessionProjection>> {
    if (sessionIds.length === 0) return new Map();
    const rows = this.database.read((connection) =>
      this.statement(
        connection,
        `SELECT session_id, projection FROM "${this.table}"
         WHERE session_id IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(sessionIds)),
    ) as { session_id: string; projection: string }[];
    return new Map(rows.map((row) => [row.session_id, JSON.parse(row.projection) as SessionProjection]));
  }

  async writeMany(writes: readonly ViewWrite[]): Promise<ViewWriteResult> {
    if (writes.length === 0) return { written: 0, conflicts: [] };
    return this.database.write((connection) => {
      const insert = this.statement(
        connection,
        `INSERT INTO "${this.table}" (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})
         ON CONFLICT (session_id) DO NOTHING`,
      );
      const update = this.statement(
        connection,
        `UPDATE "${this.table}" SET ${COLUMNS.slice(1)
          .map((column) => `${column} = ?`)
          .join(', ')}
         WHERE session_id = ? AND version = ?`,
      );
      const result: ViewWriteResult = { written: 0, conflicts: [] };
      for (const { projection, expectedVersion } of writes) {
        const [sessionId, ...values] = columnValues(projection);
        const changes =
          expectedVersion === null
            ? insert.run(sessionId, ...values).changes
            : update.run(...values, sessionId, expectedVersion).changes;
        if (changes === 1) result.written += 1;
        else result.conflicts.push(projection.session_id);
      }
      return result;
    });
  }

  async list(query: SessionListQuery): Promise<SessionListPage> {
    const filters = ['user_id = ?', 'agent_id = ?', 'deleted = 0'];
    const parameters: (string | number)[] = [query.userId, query.agentId];
    const filter = (clause: string, value: string | number | undefined) => {
      if (value === undefined) return;
      filters.push(clause);
      parameters.push(value);
    };
    filter('is_running = ?', query.isRunning === undefined ? undefined : Number(query.isRunning));
    filter('status = ?', query.status);
    filter('source = ?', query.source);
    filter('team_id = ?', query.teamId);
    filter(
      'updated_at_key > ?',
      query.updatedAfter === undefined ? undefined : instantKey(query.updatedAfter),
    );
    const where = filters.join(' AND ');
    // The keyset bound narrows the page, never the total. List order is newest first, then ascending id.
    const after = query.after;
    const pageWhere =
      after === undefined
        ? where
        : `${where} AND (updated_at_key < ? OR (updated_at_key = ? AND session_id > ?))`;
    const pageParameters =
      after === undefined
        ? parameters
        : [...parameters, instantKey(after.updatedAt), instantKey(after.updatedAt), after.sessionId];

    return this.database.read((connection) => {
      const rows = this.statement(
        connection,
        `SELECT projection FROM "${this.table}" WHERE ${pageWhere}
         ORDER BY updated_at_key DESC, session_id LIMIT ? OFFSET ?`,
      ).all(...pageParameters, query.limit, query.offset) as { projection: string }[];
      const { total } = this.statement(
        connection,
        `SELECT COUNT(*) AS total FROM "${this.table}" WHERE ${where}`,
      ).get(...parameters) as { total: number };
      return { items: rows.map((row) => JSON.parse(row.projection) as SessionProjection), total };
    });
  }

  private statement(connection: Connection, sql: string) {
    return this.database.statement(connection, sql);
  }
}

const COLUMNS = [
  'session_id',
  'version',
  'deleted',
  'user_id',
  'agent_id',
  'updated_at_key',
  'is_running',
  'status',
  'source',
  'team_id',
  'projection',
] as const;

function columnValues(projection: SessionProjection): (string | number | null)[] {
  const { session, is_running, status } = projection.view;
  return [
    projection.session_id,
    projection.version,
    Number(projection.deleted),
    session.user_id,
    session.agent_id,
    instantKey(session.updated_at),
    Number(is_running),
    status,
    session.source,
    session.team_id,
    JSON.stringify(projection),
  ];
}
