import { currentViewStamp, ViewGenerations, ViewStamp, ViewStore } from '@app/ports';
import { Connection, SqliteDatabase } from './sqlite.database';
import { SqliteStoreError, SqliteStoreErrorCode } from './sqlite-store.error';
import { SqliteViewStore, createViewTableSql } from './sqlite.view-store';

// The same names as the MongoDB generations, so logs and operators speak of one thing in both profiles. A
// generation's name is also its table's name, which is why names are checked before they reach any SQL.
const GENERATION_PREFIX = 'session_views_';
const GENERATION_NAME = /^session_views_[1-9]\d*$/;

/** Generations are tables; the active one is named by a single pointer row, switched in one transaction. */
export class SqliteViewGenerations extends ViewGenerations {
  private readonly stores = new Map<string, SqliteViewStore>();

  constructor(private readonly database: SqliteDatabase) {
    super();
  }

  async active(): Promise<string> {
    const current = this.database.read((connection) => activeName(this.database, connection));
    if (current !== undefined) return current;
    return this.database.write((connection) => {
      // Another caller may have created it since the read above; the write queue makes this check final.
      const raced = activeName(this.database, connection);
      if (raced !== undefined) return raced;
      const name = this.createIn(connection);
      this.database
        .statement(connection, 'INSERT INTO active_view_generation (singleton, name) VALUES (1, ?)')
        .run(name);
      markServed(this.database, connection, name);
      return name;
    });
  }

  async create(): Promise<string> {
    return this.database.write((connection) => this.createIn(connection));
  }

  async stamp(generation: string): Promise<ViewStamp | null> {
    assertGenerationName(generation);
    const row = this.database.read((connection) => {
      this.assertExists(connection, generation);
      return this.database
        .statement(connection, 'SELECT fold_version, shape FROM view_generations WHERE name = ?')
        .get(generation);
    }) as { fold_version: number | null; shape: string | null };
    return row.fold_version === null || row.shape === null
      ? null
      : { foldVersion: row.fold_version, shape: row.shape };
  }

  store(generation: string): ViewStore {
    assertGenerationName(generation);
    let store = this.stores.get(generation);
    if (!store) {
      store = new SqliteViewStore(this.database, generation);
      this.stores.set(generation, store);
    }
    return store;
  }

  async activate(generation: string): Promise<string> {
    assertGenerationName(generation);
    // Before the first switch there may be no pointer yet: the generation active() creates is the one replaced.
    await this.active();
    return this.database.write((connection) => {
      this.assertExists(connection, generation);
      const previous = activeName(this.database, connection)!;
      this.database
        .statement(connection, 'UPDATE active_view_generation SET name = ? WHERE singleton = 1')
        .run(generation);
      // From this transaction on, the previous generation is retired: its store refuses writes (see SqliteViewStore).
      markServed(this.database, connection, generation);
      return previous;
    });
  }

  async list(): Promise<string[]> {
    return this.database.read((connection) =>
      (
        this.database.statement(connection, 'SELECT name FROM view_generations ORDER BY number').all() as {
          name: string;
        }[]
      ).map((row) => row.name),
    );
  }

  async drop(generation: string): Promise<void> {
    assertGenerationName(generation);
    await this.database.write((connection) => {
      this.assertExists(connection, generation);
      if (activeName(this.database, connection) === generation) {
        throw new SqliteStoreError(
          SqliteStoreErrorCode.ActiveGenerationDrop,
          `${generation} is the active generation: activate another one before dropping it`,
        );
      }
      connection.exec(`DROP TABLE "${generation}"`);
      this.database.statement(connection, 'DELETE FROM view_generations WHERE name = ?').run(generation);
    });
    this.stores.delete(generation);
  }

  private createIn(connection: Connection): string {
    const stamp = currentViewStamp();
    const { lastInsertRowid } = this.database
      .statement(
        connection,
        "INSERT INTO view_generations (name, created_at, fold_version, shape) VALUES ('', ?, ?, ?)",
      )
      .run(new Date().toISOString(), stamp.foldVersion, stamp.shape);
    const name = `${GENERATION_PREFIX}${lastInsertRowid}`;
    this.database
      .statement(connection, 'UPDATE view_generations SET name = ? WHERE number = ?')
      .run(name, lastInsertRowid);
    connection.exec(createViewTableSql(name));
    return name;
  }

  private assertExists(connection: Connection, generation: string): void {
    const found = this.database
      .statement(connection, 'SELECT 1 FROM view_generations WHERE name = ?')
      .get(generation);
    if (!found) {
      throw new SqliteStoreError(
        SqliteStoreErrorCode.UnknownGeneration,
        `there is no view generation ${generation}`,
      );
    }
  }
}

function activeName(database: SqliteDatabase, connection: Connection): string | undefined {
  const row = database
    .statement(connection, 'SELECT name FROM active_view_generation WHERE singleton = 1')
    .get() as { name: string } | undefined;
  return row?.name;
}

function markServed(database: SqliteDatabase, connection: Connection, generation: string): void {
  database.statement(connection, 'UPDATE view_generations SET served = 1 WHERE name = ?').run(generation);
}

function assertGenerationName(generation: string): void {
  if (!GENERATION_NAME.test(generation)) {
    throw new SqliteStoreError(
      SqliteStoreErrorCode.UnknownGeneration,
      `${JSON.stringify(generation)} is not a view generation name of this store`,
    );
  }
}
