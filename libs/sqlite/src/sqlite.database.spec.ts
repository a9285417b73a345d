import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE_NAME, SqliteDatabase } from './sqlite.database';

describe(SqliteDatabase.name, () => {
  let dataDir: string;
  let database: SqliteDatabase;

  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'sqlite-database-')), 'nested', 'data');
    database = SqliteDatabase.open(dataDir);
  });
  afterEach(async () => {
    await database.close();
    rmSync(join(dataDir, '..', '..'), { recursive: true, force: true });
  });

  const rows = () =>
    database.read((connection) =>
      (
        database.statement(connection, 'SELECT tailer FROM tailer_positions ORDER BY tailer').all() as {
          tailer: string;
        }[]
      ).map((row) => row.tailer),
    );
  const insert = (name: string) =>
    database.write((connection) =>
      database
        .statement(connection, 'INSERT INTO tailer_positions (tailer, position) VALUES (?, 1)')
        .run(name),
    );

  it('creates the data folder and the file, in WAL mode', () => {
    expect(existsSync(join(dataDir, DATABASE_FILE_NAME))).toBe(true);
    expect(database.read((connection) => connection.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('keeps what it creates to the owner: the folder 0700, the database and its WAL 0600', async () => {
    await insert('permissions');
    const modeOf = (path: string) => statSync(path).mode & 0o777;
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, DATABASE_FILE_NAME))).toBe(0o600);
    expect(modeOf(join(dataDir, `${DATABASE_FILE_NAME}-wal`))).toBe(0o600);
  });

  it('keeps a write queued behind an open transaction out of its rollback', async () => {
    let releaseTransaction!: () => void;
    const transactionOpen = new Promise<void>((resolve) => {
      releaseTransaction = resolve;
    });
    const failing = database.runInTransaction(async () => {
      await insert('inside');
      await transactionOpen;
      throw new Error('the batch failed');
    });
    // Called while the transaction above is open, as an ingest request would be.
    const outside = insert('outside');
    releaseTransaction();
    await expect(failing).rejects.toThrow('the batch failed');
    await outside;
    expect(rows()).toEqual(['outside']);
  });

  it('hides writes of an open transaction from readers until it commits', async () => {
    let releaseTransaction!: () => void;
    const held = new Promise<void>((resolve) => {
      releaseTransaction = resolve;
    });
    const seenInside: string[][] = [];
    const committing = database.runInTransaction(async () => {
      await insert('pending');
      seenInside.push(rows());
      await held;
    });
    await Promise.resolve();
    const seenOutside = rows();
    releaseTransaction();
    await committing;
    expect(seenInside).toEqual([['pending']]);
    expect(seenOutside).toEqual([]);
    expect(rows()).toEqual(['pending']);
  });

  it('lets work inside a transaction join it rather than wait behind it', async () => {
    await database.runInTransaction(async () => {
      await insert('outer');
      await database.runInTransaction(() => insert('nested'));
    });
    expect(rows()).toEqual(['nested', 'outer']);
  });

  it('runs commit callbacks only after a commit', async () => {
    const calls: string[] = [];
    await database.runInTransaction(async () => {
      database.afterCommit(() => calls.push('committed'));
      expect(calls).toEqual([]);
    });
    await expect(
      database.runInTransaction(async () => {
        database.afterCommit(() => calls.push('rolled back'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(calls).toEqual(['committed']);
  });

  it('rolls back only the failing unit of writes inside a transaction', async () => {
    await database.runInTransaction(async () => {
      await insert('kept');
      // Matched on the message: once another suite in this Jest worker has loaded the native driver, its errors
      // come from that suite's realm and are not `instanceof Error` here.
      await expect(insert('kept')).rejects.toMatchObject({ message: expect.stringMatching(/UNIQUE/) });
    });
    expect(rows()).toEqual(['kept']);
  });

  it('commits writes queued behind a transaction together, rolling back only the unit that fails', async () => {
    let releaseTransaction!: () => void;
    const held = new Promise<void>((resolve) => {
      releaseTransaction = resolve;
    });
    const calls: string[] = [];
    const holding = database.runInTransaction(() => held);
    const first = database.write((connection) => {
      database
        .statement(connection, 'INSERT INTO tailer_positions (tailer, position) VALUES (?, 1)')
        .run('a');
      database.afterCommit(() => calls.push('a committed'));
      return 'a';
    });
    const failing = database.write((connection) => {
      database
        .statement(connection, 'INSERT INTO tailer_positions (tailer, position) VALUES (?, 1)')
        .run('b');
      database.afterCommit(() => calls.push('b committed'));
      throw new Error('unit b failed');
    });
    let seenByThird: string[] | undefined;
    const third = database.write((connection) => {
      database
        .statement(connection, 'INSERT INTO tailer_positions (tailer, position) VALUES (?, 1)')
        .run('c');
      seenByThird = [...calls];
    });
    // Nothing is committed, so nothing is announced, before the group's commit.
    await Promise.resolve();
    expect(calls).toEqual([]);
    releaseTransaction();
    await holding;

    await expect(first).resolves.toBe('a');
    await expect(failing).rejects.toThrow('unit b failed');
    await third;
    expect(rows()).toEqual(['a', 'c']);
    expect(calls).toEqual(['a committed']);
    // The third unit ran before the first one's commit: one commit for the group.
    expect(seenByThird).toEqual([]);
  });

  it('brings an existing file up to date and keeps its data when reopened', async () => {
    await insert('durable');
    await database.close();
    database = SqliteDatabase.open(dataDir);
    expect(rows()).toEqual(['durable']);
  });
});
