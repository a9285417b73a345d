import { SqliteDatabase, SqliteEventArchive, SqliteViewGenerations } from '@app/sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionEvents } from '../../../test/factories/session-events';
import { SessionHistory } from './session-history';

describe(SessionHistory.name, () => {
  let dataDir: string;
  let database: SqliteDatabase;
  let history: SessionHistory;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'session-history-'));
    database = SqliteDatabase.open(dataDir);
    history = new SessionHistory(new SqliteEventArchive(database), new SqliteViewGenerations(database));
  });
  afterEach(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The owner's session with, at seq 3, another user's session.created that the fold refuses. */
  async function sessionWithAForeignCreate() {
    const owner = sessionEvents('session-h', 'user-owner').created().runStarted();
    const foreign = sessionEvents('session-h', 'user-intruder').created({}, { seq: 3 }).last;
    const events = [...owner.events, foreign, owner.runStopped('completed', { seq: 4 }).last];
    await new SqliteEventArchive(database).append(events);
    return { events, foreign };
  }

  it('leaves out of the history an archived event the fold refused, page by page', async () => {
    const { events, foreign } = await sessionWithAForeignCreate();
    const accepted = events.filter((event) => event !== foreign);
    expect(await history.events('session-h', { afterSeq: 0, limit: 10 })).toEqual(accepted);
    expect(await history.events('session-h', { afterSeq: 0, limit: 2 })).toEqual(accepted.slice(0, 2));
    expect(await history.events('session-h', { afterSeq: 2, limit: 2 })).toEqual(accepted.slice(2));
  });

  it('travels in time past a refused event as if it had never been sent', async () => {
    await sessionWithAForeignCreate();
    const atThree = await history.stateAt('session-h', { atSeq: 3 });
    expect(atThree).toMatchObject({ version: 2, view: { session: { user_id: 'user-owner' } } });
  });
});
