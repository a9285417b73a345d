import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_ONLY_FILE_MODE, OWNER_ONLY_FOLDER_MODE } from '@app/config';
import { isStoreFull } from '@app/ports';
import { MIGRATIONS } from './sqlite.migrations';

export type Connection = Database.Database;

export const DATABASE_FILE_NAME = 'store.db';

/** How long a statement waits for another process's lock (a second app on the same DATA_DIR) before failing. */
const BUSY_TIMEOUT_MS = 5000;

interface TransactionScope {
  open: boolean;
  afterCommit: (() => void)[];
}

/** A synchronous unit of writes waiting for the group it will commit with. */
interface QueuedUnit {
  work: (connection: Connection) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Units one group commit takes at most: enough to share a sync among every request of a busy moment, few enough
 * that the first of them never waits long for the last.
 */
const MAX_UNITS_PER_COMMIT = 64;

/**
 * The embedded store's one SQLite file, with one connection for writes and one for reads.
 *
 * Every write goes through a single queue of transactions. The projector's transaction spans awaits (the engine is
 * async over the ports), and all code in this process shares the write connection, so without the queue an ingest
 * request could run its INSERT while the projector's transaction is open: the request would be acknowledged and
 * then rolled back with the projector's batch. Queued, each transaction runs alone from BEGIN to COMMIT; work done
 * inside one (tracked through AsyncLocalStorage) joins it instead of queueing behind it.
 *
 * Reads outside a transaction use the read connection, which in WAL mode sees only committed data: a reader never
 * sees the projector's writes before they commit, and never waits for them.
 */
export class SqliteDatabase {
  private readonly logger = new Logger(SqliteDatabase.name);
  private readonly scopes = new AsyncLocalStorage<TransactionScope>();
  private readonly statements = new Map<Connection, Map<string, Database.Statement>>();
  private queueTail: Promise<unknown> = Promise.resolve();
  /** Units queued for the next group commit, which has not started yet; null when none is queued. */
  private nextGroup: QueuedUnit[] | null = null;
  /** Set when a write was refused for want of space, cleared by the next commit: what readiness reports. */
  private fullSince: Date | undefined;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly writer: Connection,
    private readonly reader: Connection,
  ) {}

  /**
   * Opens `<dataDir>/store.db`, creating the folder and the file owner-only, and brings the schema up to date. SQLite
   * gives the WAL and shared-memory files the database file's mode.
   */
  static open(dataDir: string): SqliteDatabase {
    mkdirSync(dataDir, { recursive: true, mode: OWNER_ONLY_FOLDER_MODE });
    const file = join(dataDir, DATABASE_FILE_NAME);
    closeSync(openSync(file, 'a', OWNER_ONLY_FILE_MODE));
    const writer = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    writer.pragma('journal_mode = WAL');
    // FULL syncs the WAL at every commit: an acknowledged event survives a power cut, not only a crash.
    writer.pragma('synchronous = FULL');
    writer.pragma('foreign_keys = ON');
    migrate(writer);
    const reader = new Database(file, { readonly: true, timeout: BUSY_TIMEOUT_MS });
    return new SqliteDatabase(file, writer, reader);
  }

  /**
   * Runs `work` as one transaction, after every transaction queued before it. Called inside a transaction, `work`
   * joins it: its writes commit or roll back with the outer ones.
   */
  runInTransaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.currentScope()) return work();
    return this.enqueue(async () => {
      const scope: TransactionScope = { open: true, afterCommit: [] };
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.scopes.run(scope, work);
        this.writer.exec('COMMIT');
        scope.open = false;
        this.fullSince = undefined;
        this.runAfterCommit(scope);
        return result;
      } catch (error) {
        scope.open = false;
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        if (isStoreFull(error)) this.fullSince ??= new Date();
        throw error;
      }
    });
  }

  /**
   * One synchronous unit of writes, all or nothing: a savepoint of the surrounding transaction, or else a savepoint
   * of a group commit behind the queue. Units queued while the queue is busy (ingest requests arriving while the
   * projector's batch runs) commit together, one sync for all, as a group commit in a database server does: each is
   * still all or nothing on its own, and each resolves only once the commit holding it is durable.
   */
  write<T>(work: (connection: Connection) => T): Promise<T> {
    if (this.currentScope()) {
      try {
        return Promise.resolve(this.writer.transaction(work)(this.writer));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      const unit: QueuedUnit = { work, resolve: resolve as (value: unknown) => void, reject };
      if (this.nextGroup && this.nextGroup.length < MAX_UNITS_PER_COMMIT) {
        this.nextGroup.push(unit);
        return;
      }
      const group = [unit];
      this.nextGroup = group;
      this.enqueue(async () => {
        // Writes arriving in the same turn of the event loop (requests answered by the last commit come back
        // together) join the group before it starts: a sync is paid per group, not per request.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.nextGroup === group) this.nextGroup = null;
        this.commitGroup(group);
      }).catch((error: unknown) => {
        // Closed, or a ROLLBACK that failed: a unit the group already settled ignores this.
        for (const queued of group) queued.reject(error);
      });
    });
  }

  /**
   * Reads one consistent snapshot: committed data, or inside a transaction that transaction's own writes (the
   * projector reads back the views it is about to write).
   */
  read<T>(work: (connection: Connection) => T): T {
    if (this.currentScope()) return work(this.writer);
    return this.reader.transaction(work)(this.reader);
  }

  /** Since when writes have been refused as the disk or the file is full; undefined while they commit. */
  get writesRefusedAsFullSince(): Date | undefined {
    return this.fullSince;
  }

  /** Defers `callback` until the surrounding transaction commits; it never runs if that transaction rolls back. */
  afterCommit(callback: () => void): void {
    const scope = this.currentScope();
    if (scope) scope.afterCommit.push(callback);
    else callback();
  }

  /** A prepared statement, prepared once per connection. */
  statement(connection: Connection, sql: string): Database.Statement {
    let cache = this.statements.get(connection);
    if (!cache) {
      cache = new Map();
      this.statements.set(connection, cache);
    }
    let statement = cache.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  }

  /** Waits for the queued transactions, then closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queueTail;
    this.statements.clear();
    this.reader.close();
    this.writer.close();
  }

  private currentScope(): TransactionScope | undefined {
    const scope = this.scopes.getStore();
    return scope?.open ? scope : undefined;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`the database ${this.file} is closed`));
    const result = this.queueTail.then(task);
    this.queueTail = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs the units in one transaction, each in a savepoint of its own (a failing unit is rolled back alone and
   * rejects), then commits once and settles them. Should SQLite roll the whole transaction back on an error (a full
   * disk may), or the commit fail, every unit of the group fails with that error: none of them is durable.
   */
  private commitGroup(group: readonly QueuedUnit[]): void {
    const done: Array<{ unit: QueuedUnit; value: unknown; scope: TransactionScope }> = [];
    const fail = (error: unknown) => {
      if (isStoreFull(error)) this.fullSince ??= new Date();
      for (const { unit } of done) unit.reject(error);
    };
    let refusedForSpace = false;
    try {
      this.writer.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const unit of group) unit.reject(error);
      if (isStoreFull(error)) this.fullSince ??= new Date();
      return;
    }
    for (const [index, unit] of group.entries()) {
      const scope: TransactionScope = { open: true, afterCommit: [] };
      try {
        const value = this.scopes.run(scope, () => this.writer.transaction(unit.work)(this.writer));
        scope.open = false;
        done.push({ unit, value, scope });
      } catch (error) {
        scope.open = false;
        refusedForSpace ||= isStoreFull(error);
        unit.reject(error);
        if (!this.writer.inTransaction) {
          fail(error);
          for (const rest of group.slice(index + 1)) rest.reject(error);
          return;
        }
      }
    }
    try {
      this.writer.exec('COMMIT');
    } catch (error) {
      if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
      fail(error);
      return;
    }
    if (refusedForSpace) this.fullSince ??= new Date();
    else this.fullSince = undefined;
    for (const { unit, value, scope } of done) {
      this.runAfterCommit(scope);
      unit.resolve(value);
    }
  }

  private runAfterCommit(scope: TransactionScope): void {
    for (const callback of scope.afterCommit) {
      try {
        callback();
      } catch (error) {
        // The transaction is committed: a failing listener must not turn it into a reported failure.
        this.logger.error(`a commit listener failed: ${(error as Error).stack ?? error}`);
      }
    }
  }
}

function migrate(connection: Connection): void {
  const applied = connection.pragma('user_version', { simple: true }) as number;
  if (applied > MIGRATIONS.length) {
    throw new Error(
      `the database schema is at version ${applied}, newer than this build knows (${MIGRATIONS.length}): ` +
        'run a newer build, or point DATA_DIR elsewhere',
    );
  }
  connection
    .transaction(() => {
      for (let version = applied; version < MIGRATIONS.length; version += 1) {
        connection.exec(MIGRATIONS[version]);
        connection.pragma(`user_version = ${version + 1}`);
      }
    })
    .immediate();
}
