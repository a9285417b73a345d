import { DeadLetterReason } from '@app/ports';
import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from './sqlite.database';
import { SqliteDeadLetterSink } from './sqlite.dead-letter-sink';

describe(SqliteDeadLetterSink.name, () => {
  let dataDir: string;
  let database: SqliteDatabase;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sqlite-dead-letters-'));
    database = SqliteDatabase.open(dataDir);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs one warning line per stored dead letter, with its reason and detail', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await new SqliteDeadLetterSink(database).send([
      {
        payload: Buffer.from('{}'),
        key: 'session-1',
        reason: DeadLetterReason.InvalidEvent,
        detail: 'seq must be a safe integer',
        source: { topic: 'events' },
        sessionId: 'session-1',
        eventId: 'event-1',
      },
      {
        payload: Buffer.from('not json'),
        key: null,
        reason: DeadLetterReason.InvalidEvent,
        detail: 'not JSON',
        source: { topic: 'events' },
      },
    ]);
    expect(warn.mock.calls.map(([line]) => line)).toEqual([
      'dead-lettered session session-1 (event event-1): invalid_event: seq must be a safe integer',
      'dead-lettered a record: invalid_event: not JSON',
    ]);
  });
});
