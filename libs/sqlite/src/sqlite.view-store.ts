import { SessionProjection } from '@app/domain';
import {
  GenerationRetiredError,
  LIST_INDEXES,
  listConditions,
  listPaging,
  SessionListPage,
  SessionListQuery,
  SessionListTextPage,
  StoredFieldValue,
  StoredViewText,
  storedFields,
  VIEW_FIELD_NAMES,
  VIEW_FIELDS,
  ViewFieldSpec,
  ViewStore,
  ViewWrite,
  ViewWriteResult,
} from '@app/ports';
import { Connection, SqliteDatabase } from './sqlite.database';

/**
 * The same limit as the MongoDB store (16 MiB BSON less headroom), although SQLite would take far more: a view the
 * embedded profile accepts must also fit in production, or moving a data set there would fail part way.
 */
const MAX_VIEW_DOCUMENT_BYTES = 15 * 1024 * 1024;

/**
 * The table of one generation: its name, validated by SqliteViewGenerations before it reaches any SQL. Every field of
 * VIEW_FIELDS is a column beside the projection's JSON, and every list index of the table an index, so that the
 * owner's equality, the tombstone filter and each newest-first order walk one range.
 */
export function createViewTableSql(table: string): string {
  const fieldColumns = VIEW_FIELD_NAMES.map((name) => {
    const spec: ViewFieldSpec = VIEW_FIELDS[name];
    return `${name} ${spec.type === 'boolean' ? 'INTEGER' : 'TEXT'}${spec.nullable ? '' : ' NOT NULL'}`;
  });
  const indexes = LIST_INDEXES.map(
    (index) =>
      `CREATE INDEX "${table}_${index.name}" ON "${table}" (${[...index.scope, `${index.orderField} DESC`, 'session_id'].join(', ')});`,
  );
  return `
    CREATE TABLE "${table}" (
      session_id TEXT PRIMARY KEY,
      version INTEGER NOT NULL,
      ${fieldColumns.join(',\n      ')},
      projection TEXT NOT NULL
    );
    ${indexes.join('\n    ')}
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

  async get(sessionId: string, ownerId?: string): Promise<SessionProjection | null> {
    const row = this.findOne('projection', sessionId, ownerId) as { projection: string } | undefined;
    return row ? (JSON.parse(row.projection) as SessionProjection) : null;
  }

  /** The view's JSON text cut out of the stored projection by SQLite, unparsed, as listViewTexts does. */
  override async getViewText(sessionId: string, ownerId?: string): Promise<StoredViewText | null> {
    const row = this.findOne(VIEW_TEXT_COLUMNS, sessionId, ownerId);
    return row ? viewTextOf(row) : null;
  }

  private findOne(columns: string, sessionId: string, ownerId?: string): Record<string, unknown> | undefined {
    return this.database.read((connection) =>
      ownerId === undefined
        ? this.statement(connection, `SELECT ${columns} FROM "${this.table}" WHERE session_id = ?`).get(
            sessionId,
          )
        : this.statement(
            connection,
            `SELECT ${columns} FROM "${this.table}" WHERE session_id = ? AND user_id = ?`,
          ).get(sessionId, ownerId),
    ) as Record<string, unknown> | undefined;
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
      // In the same transaction as the writes: a switch is one transaction too, so either it came first and the
      // batch is refused whole, or the batch landed before the switch and the rebuild's catch-up folds it again.
      if (this.isRetired(connection)) throw new GenerationRetiredError(this.table);
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
      for (const { projection, expectedVersion, projectionJson } of writes) {
        const [sessionId, ...values] = columnValues(projection, projectionJson);
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
    const { items, total } = this.page(query, 'projection');
    return { items: items.map((row) => JSON.parse(row.projection as string) as SessionProjection), total };
  }

  /**
   * The page with each view's JSON text cut out of the stored projection by SQLite, which neither parses it into
   * JavaScript objects nor serialises it again: the read side splices the texts into its body as they are.
   */
  override async listViewTexts(query: SessionListQuery): Promise<SessionListTextPage> {
    const paging = listPaging(query);
    const { items, total } = this.page(query, `${VIEW_TEXT_COLUMNS}, json_extract(projection, ?) AS at`, [
      `$.${VIEW_FIELDS[paging.orderField].from}`,
    ]);
    return {
      items: items.map((row) => ({
        ...viewTextOf(row),
        position: { order: paging.order, at: row.at as string, sessionId: row.session_id as string },
      })),
      total,
    };
  }

  /** One list page's rows, holding `columns` (bound to `columnParameters`), and the query's total. */
  private page(
    query: SessionListQuery,
    columns: string,
    columnParameters: string[] = [],
  ): { items: Record<string, unknown>[]; total: number } {
    const paging = listPaging(query);
    const conditions = listConditions(query, query.filters);
    const where = conditions.map(({ field, match }) => `${field} ${match === 'after' ? '>' : '='} ?`);
    const parameters = conditions.map(({ value }) => sqlValue(value));
    // The keyset bound narrows the page, never the total. List order is newest first, then ascending id.
    const column = paging.orderField;
    const pageWhere = paging.after
      ? [...where, `(${column} < ? OR (${column} = ? AND session_id > ?))`]
      : where;
    const pageParameters = paging.after
      ? [...parameters, paging.after.key, paging.after.key, paging.after.sessionId]
      : parameters;

    return this.database.read((connection) => {
      const items = this.statement(
        connection,
        `SELECT ${columns} FROM "${this.table}" WHERE ${pageWhere.join(' AND ')}
         ORDER BY ${column} DESC, session_id LIMIT ? OFFSET ?`,
      ).all(...columnParameters, ...pageParameters, query.limit, query.offset) as Record<string, unknown>[];
      const { total } = this.statement(
        connection,
        `SELECT COUNT(*) AS total FROM "${this.table}" WHERE ${where.join(' AND ')}`,
      ).get(...parameters) as { total: number };
      return { items, total };
    });
  }

  private isRetired(connection: Connection): boolean {
    const row = this.statement(
      connection,
      `SELECT generation.served = 1 AND active.name <> generation.name AS retired
       FROM view_generations AS generation, active_view_generation AS active
       WHERE generation.name = ?`,
    ).get(this.table) as { retired: number } | undefined;
    return row?.retired === 1;
  }

  private statement(connection: Connection, sql: string) {
    return this.database.statement(connection, sql);
  }
}

const COLUMNS = ['session_id', 'version', ...VIEW_FIELD_NAMES, 'projection'] as const;

/**
 * What a view text is read with: the view, and its owner and tombstone from the same stored JSON rather than from
 * the columns the query matched, so the read side's isolation check is independent of them.
 */
const VIEW_TEXT_COLUMNS = `session_id, version, json_extract(projection, '$.view') AS view,
  json_extract(projection, '$.view.session.user_id') AS owner, json_extract(projection, '$.deleted') AS deleted`;

function viewTextOf(row: Record<string, unknown>): StoredViewText {
  return {
    sessionId: row.session_id as string,
    version: row.version as number,
    userId: row.owner as string,
    // SQLite's JSON true reads as 1.
    deleted: row.deleted === 1,
    viewJson: row.view as string,
  };
}

function columnValues(
  projection: SessionProjection,
  projectionJson = JSON.stringify(projection),
): (string | number | null)[] {
  const fields = storedFields(projection);
  return [
    projection.session_id,
    projection.version,
    ...VIEW_FIELD_NAMES.map((name) => sqlValue(fields[name])),
    projectionJson,
  ];
}

/** SQLite has no boolean: 0 and 1, as its own comparisons give. */
function sqlValue(value: StoredFieldValue): string | number | null {
  return typeof value === 'boolean' ? Number(value) : value;
}
