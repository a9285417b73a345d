import { SessionProjection } from '@app/domain';
import {
  LIST_ORDERS,
  ListPositionOrderError,
  listPositionOf,
  SessionListQuery,
  ViewStore,
  ViewWrite,
} from '@app/ports';
import {
  contractCases,
  DeclaredDeviations,
  followedBy,
  projectionOf,
  renamed,
  uniqueSessionId,
} from './contract-support';

export interface ViewStoreHarness {
  store: ViewStore;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every ViewStore adapter shares. `makeStore` runs before each test and must return an empty store
 * (a fresh table or collection); `cleanup` runs after it.
 */
export function viewStoreContract(
  name: string,
  makeStore: () => Promise<ViewStoreHarness>,
  deviations: DeclaredDeviations = {},
): void {
  describe(`ViewStore contract: ${name}`, () => {
    const it = contractCases(name, deviations);
    let harness: ViewStoreHarness;
    let store: ViewStore;

    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
    });
    afterEach(() => harness.cleanup());

    const insert = async (...projections: SessionProjection[]) => {
      const result = await store.writeMany(
        projections.map((projection) => ({ projection, expectedVersion: null })),
      );
      expect(result).toEqual({ written: projections.length, conflicts: [] });
    };

    describe('get and getMany', () => {
      it('returns null for a session it never stored', async () => {
        expect(await store.get(uniqueSessionId())).toBeNull();
      });

      it('returns what was written, field for field', async () => {
        const projection = projectionOf(uniqueSessionId(), { run: 'awaiting_permission', teamId: 'team-7' });
        await insert(projection);
        expect(await store.get(projection.session_id)).toEqual(projection);
      });

      it('returns only the stored sessions of those asked for, keyed by session id', async () => {
        const [a, b] = [projectionOf(uniqueSessionId()), projectionOf(uniqueSessionId())];
        await insert(a, b);
        const missing = uniqueSessionId();
        const found = await store.getMany([a.session_id, missing, b.session_id]);
        expect([...found.keys()].sort()).toEqual([a.session_id, b.session_id].sort());
        expect(found.get(a.session_id)).toEqual(a);
        expect(found.get(b.session_id)).toEqual(b);
        expect((await store.getMany([])).size).toBe(0);
      });

      it('keeps a large view intact', async () => {
        const projection = projectionOf(uniqueSessionId(), { messages: ['x'.repeat(1024 * 1024)] });
        await insert(projection);
        expect(await store.get(projection.session_id)).toEqual(projection);
      });

      it("finds a session by (owner, id), and answers another owner's id as it answers an unknown one", async () => {
        const projection = projectionOf(uniqueSessionId(), { userId: 'owner-1' });
        await insert(projection);
        expect(await store.get(projection.session_id, 'owner-1')).toEqual(projection);
        expect(await store.get(projection.session_id, 'owner-2')).toBeNull();
        expect(await store.get(uniqueSessionId(), 'owner-1')).toBeNull();
      });

      it('declares a positive document size limit', async () => {
        expect(Number.isInteger(store.maxDocumentBytes)).toBe(true);
        expect(store.maxDocumentBytes).toBeGreaterThan(1024 * 1024);
      });
    });

    describe('version-guarded writes', () => {
      it('updates a session when the expected version is the stored one', async () => {
        const first = projectionOf(uniqueSessionId());
        await insert(first);
        const second = renamed(first, 'second name');
        expect(await store.writeMany([{ projection: second, expectedVersion: first.version }])).toEqual({
          written: 1,
          conflicts: [],
        });
        expect(await store.get(first.session_id)).toEqual(second);
      });

      it('refuses to insert over a stored session, leaving it as it was', async () => {
        const stored = projectionOf(uniqueSessionId());
        await insert(stored);
        const result = await store.writeMany([
          { projection: renamed(stored, 'racing insert'), expectedVersion: null },
        ]);
        expect(result).toEqual({ written: 0, conflicts: [stored.session_id] });
        expect(await store.get(stored.session_id)).toEqual(stored);
      });

      it('refuses a stale expected version, leaving the session as it was', async () => {
        const first = projectionOf(uniqueSessionId());
        await insert(first);
        const second = renamed(first, 'second');
        await store.writeMany([{ projection: second, expectedVersion: first.version }]);
        const stale = await store.writeMany([
          { projection: renamed(first, 'stale'), expectedVersion: first.version },
        ]);
        expect(stale).toEqual({ written: 0, conflicts: [first.session_id] });
        expect(await store.get(first.session_id)).toEqual(second);
      });

      it('refuses an update of a session it never stored', async () => {
        const projection = renamed(projectionOf(uniqueSessionId()), 'never stored');
        const result = await store.writeMany([{ projection, expectedVersion: 1 }]);
        expect(result).toEqual({ written: 0, conflicts: [projection.session_id] });
        expect(await store.get(projection.session_id)).toBeNull();
      });

      it('writes the rest of a batch when some sessions conflict', async () => {
        const stored = projectionOf(uniqueSessionId());
        const moving = projectionOf(uniqueSessionId());
        await insert(stored, moving);
        const fresh = projectionOf(uniqueSessionId());
        const moved = renamed(moving, 'moved');
        const result = await store.writeMany([
          { projection: fresh, expectedVersion: null },
          { projection: renamed(stored, 'conflicting'), expectedVersion: stored.version + 5 },
          { projection: moved, expectedVersion: moving.version },
        ]);
        expect(result).toEqual({ written: 2, conflicts: [stored.session_id] });
        const found = await store.getMany([stored.session_id, moving.session_id, fresh.session_id]);
        expect(found.get(stored.session_id)).toEqual(stored);
        expect(found.get(moving.session_id)).toEqual(moved);
        expect(found.get(fresh.session_id)).toEqual(fresh);
      });

      it('writes a batch of hundreds of guarded replaces in one call', async () => {
        const seeded = Array.from({ length: 150 }, () => projectionOf(uniqueSessionId('many')));
        await insert(...seeded);
        const next = seeded.map((stored, index) => renamed(stored, `write ${index}`));

        const result = await store.writeMany(
          next.map((projection, index) => ({ projection, expectedVersion: seeded[index].version })),
        );

        expect(result).toEqual({ written: 150, conflicts: [] });
        const stored = await store.getMany(next.map((projection) => projection.session_id));
        expect(next.map((projection) => stored.get(projection.session_id))).toEqual(next);
      });

      it('answers every write of a large batch whose conflicts are spread across it', async () => {
        const seeded = Array.from({ length: 240 }, () => projectionOf(uniqueSessionId('seeded')));
        await insert(...seeded);
        const writes: ViewWrite[] = [];
        const expectedConflicts: string[] = [];
        const expectedStored = new Map(seeded.map((projection) => [projection.session_id, projection]));
        seeded.forEach((stored, index) => {
          const next = renamed(stored, `write ${index}`);
          switch (index % 4) {
            case 0: {
              const fresh = projectionOf(uniqueSessionId('fresh'));
              writes.push({ projection: fresh, expectedVersion: null });
              expectedStored.set(fresh.session_id, fresh);
              return;
            }
            case 1:
              writes.push({ projection: next, expectedVersion: null });
              expectedConflicts.push(stored.session_id);
              return;
            case 2:
              writes.push({ projection: next, expectedVersion: stored.version });
              expectedStored.set(stored.session_id, next);
              return;
            default:
              writes.push({ projection: next, expectedVersion: stored.version + 1 });
              expectedConflicts.push(stored.session_id);
          }
        });

        const result = await store.writeMany(writes);

        expect(result.written).toBe(writes.length - expectedConflicts.length);
        expect([...result.conflicts].sort()).toEqual([...expectedConflicts].sort());
        const stored = await store.getMany([...expectedStored.keys()]);
        expect(new Map([...stored].sort())).toEqual(new Map([...expectedStored].sort()));
      });

      it('accepts an empty batch', async () => {
        expect(await store.writeMany([])).toEqual({ written: 0, conflicts: [] });
      });
    });

    describe('list', () => {
      const userId = 'user-list';
      const agentId = 'agent-list';
      const query = (overrides: Partial<SessionListQuery> = {}): SessionListQuery => ({
        userId,
        agentId,
        limit: 50,
        offset: 0,
        ...overrides,
      });
      const ids = (projections: SessionProjection[]) =>
        projections.map((projection) => projection.session_id);
      const mine = (label: string, spec: Parameters<typeof projectionOf>[1] = {}) =>
        projectionOf(uniqueSessionId(label), { userId, agentId, ...spec });

      it("lists one user's sessions of one agent, newest first, with the total", async () => {
        const older = mine('older', { updatedAt: 10 });
        const newer = mine('newer', { updatedAt: 20 });
        const otherUser = projectionOf(uniqueSessionId(), { userId: 'someone-else', agentId, updatedAt: 30 });
        const otherAgent = projectionOf(uniqueSessionId(), {
          userId,
          agentId: 'another-agent',
          updatedAt: 30,
        });
        await insert(older, otherUser, newer, otherAgent);
        const page = await store.list(query());
        expect(ids(page.items)).toEqual([newer.session_id, older.session_id]);
        expect(page.items[0]).toEqual(newer);
        expect(page.total).toBe(2);
      });

      it('breaks ties on the order instant by ascending session id in either order, so pages are stable', async () => {
        const tied = ['tie-c', 'tie-a', 'tie-b'].map((label) => mine(label, { updatedAt: 5 }));
        await insert(...tied);
        for (const order of LIST_ORDERS) {
          expect(ids((await store.list(query({ order }))).items)).toEqual(ids(tied).sort());
        }
      });

      it('orders by the instant, not the text, of timestamps written with different offsets', async () => {
        // 10:30+02:00 is 08:30Z, earlier than 09:00Z although it sorts later as text.
        const offset = mine('offset', { updatedAt: '2025-03-03T10:30:00+02:00' });
        const utc = mine('utc', { updatedAt: '2025-03-03T09:00:00Z' });
        await insert(offset, utc);
        for (const order of LIST_ORDERS) {
          expect(ids((await store.list(query({ order }))).items)).toEqual([
            utc.session_id,
            offset.session_id,
          ]);
        }
      });

      it('pages with limit and offset, counting every match in total', async () => {
        const sessions = [1, 2, 3, 4, 5].map((second) => mine(`page-${second}`, { updatedAt: second }));
        await insert(...sessions);
        const newestFirst = ids(sessions).reverse();
        const first = await store.list(query({ limit: 2, offset: 0 }));
        const second = await store.list(query({ limit: 2, offset: 2 }));
        const last = await store.list(query({ limit: 2, offset: 4 }));
        const beyond = await store.list(query({ limit: 2, offset: 10 }));
        expect([ids(first.items), ids(second.items), ids(last.items)]).toEqual([
          newestFirst.slice(0, 2),
          newestFirst.slice(2, 4),
          newestFirst.slice(4),
        ]);
        expect([first.total, second.total, last.total, beyond.total]).toEqual([5, 5, 5, 5]);
        expect(beyond.items).toEqual([]);
      });

      it('pages by keyset after a position, without narrowing the total', async () => {
        const sessions = [1, 2, 3, 4, 5].map((second) => mine(`keyset-${second}`, { updatedAt: second }));
        await insert(...sessions);
        const newestFirst = ids(sessions).reverse();
        const first = await store.list(query({ limit: 2 }));
        const after = listPositionOf(first.items[first.items.length - 1], 'created');
        const second = await store.list(query({ limit: 2, after }));
        expect(ids(second.items)).toEqual(newestFirst.slice(2, 4));
        expect(second.total).toBe(5);
      });

      it('continues a keyset page among sessions tied on the order instant, by ascending id', async () => {
        const tied = ['tie-a', 'tie-b', 'tie-c'].map((label) => mine(label, { updatedAt: 7 }));
        const older = mine('older', { updatedAt: 6 });
        await insert(...tied, older);
        const [a, b, c] = ids(tied).sort();
        for (const order of LIST_ORDERS) {
          const after = { order, at: tied[0].view.session.updated_at, sessionId: a };
          expect(ids((await store.list(query({ order, after }))).items)).toEqual([b, c, older.session_id]);
        }
      });

      test.each(LIST_ORDERS)(
        "keeps keyset pages of the '%s' order steady while other sessions are written between them",
        async (order) => {
          const sessions = [1, 2, 3, 4].map((second) => mine(`steady-${second}`, { updatedAt: second }));
          await insert(...sessions);
          const first = await store.list(query({ order, limit: 2 }));
          expect(ids(first.items)).toEqual(ids(sessions.slice(2)).reverse());
          // A newer session and an update of a first-page session both stay ahead of the position.
          await insert(mine('steady-new', { updatedAt: 10 }));
          const bumped = renamed(first.items[0], 'bumped', '2025-03-04T00:00:00.000Z');
          await store.writeMany([{ projection: bumped, expectedVersion: first.items[0].version }]);
          const after = listPositionOf(first.items[first.items.length - 1], order);
          const second = await store.list(query({ order, limit: 2, after }));
          expect(ids(second.items)).toEqual(ids(sessions.slice(0, 2)).reverse());
          expect(second.total).toBe(5);
        },
      );

      it('refuses a keyset position taken in the other order', async () => {
        const session = mine('positioned', { updatedAt: 1 });
        await insert(session);
        await expect(
          store.list(query({ order: 'updated', after: listPositionOf(session, 'created') })),
        ).rejects.toThrow(ListPositionOrderError);
        await expect(store.list(query({ after: listPositionOf(session, 'updated') }))).rejects.toThrow(
          ListPositionOrderError,
        );
      });

      it('leaves deleted sessions out of the items and the total', async () => {
        const live = mine('live', { updatedAt: 1 });
        const deleted = mine('deleted', { updatedAt: 2, deleted: true });
        await insert(live, deleted);
        const page = await store.list(query());
        expect(ids(page.items)).toEqual([live.session_id]);
        expect(page.total).toBe(1);
        expect(await store.get(deleted.session_id)).toEqual(deleted);
      });

      it('lists newest created_at first by default, and newest updated_at first when asked', async () => {
        const first = mine('first', { updatedAt: 1 });
        const second = mine('second', { updatedAt: 2 });
        await insert(first, second);
        const firstLater = renamed(first, 'later', '2025-03-04T00:00:00.000Z');
        await store.writeMany([{ projection: firstLater, expectedVersion: first.version }]);

        expect(ids((await store.list(query())).items)).toEqual([second.session_id, first.session_id]);
        expect(ids((await store.list(query({ order: 'created' }))).items)).toEqual([
          second.session_id,
          first.session_id,
        ]);
        expect(ids((await store.list(query({ order: 'updated' }))).items)).toEqual([
          first.session_id,
          second.session_id,
        ]);
      });

      it('follows updates: a newer write moves a session up the updated order, a tombstone takes it out', async () => {
        const a = mine('a', { updatedAt: 1 });
        const b = mine('b', { updatedAt: 2 });
        await insert(a, b);
        const aLater = renamed(a, 'later', '2025-03-04T00:00:00.000Z');
        await store.writeMany([{ projection: aLater, expectedVersion: a.version }]);
        expect(ids((await store.list(query({ order: 'updated' }))).items)).toEqual([
          a.session_id,
          b.session_id,
        ]);

        const bDeleted = followedBy(b, 'session.deleted', {});
        await store.writeMany([{ projection: bDeleted, expectedVersion: b.version }]);
        for (const order of LIST_ORDERS) {
          const page = await store.list(query({ order }));
          expect(ids(page.items)).toEqual([a.session_id]);
          expect(page.total).toBe(1);
        }
      });

      it('filters on is_running and status', async () => {
        const running = mine('running', { run: 'running', updatedAt: 4 });
        const waiting = mine('waiting', { run: 'awaiting_permission', updatedAt: 3 });
        const external = mine('external', { run: 'awaiting_external_result', updatedAt: 2 });
        const idle = mine('idle', { run: 'completed', updatedAt: 1 });
        await insert(running, waiting, external, idle);
        expect(ids((await store.list(query({ filters: { is_running: true } }))).items)).toEqual([
          running.session_id,
        ]);
        const notRunning = await store.list(query({ filters: { is_running: false } }));
        expect(ids(notRunning.items)).toEqual(ids([waiting, external, idle]));
        expect(notRunning.total).toBe(3);
        expect(ids((await store.list(query({ filters: { status: 'awaiting_permission' } }))).items)).toEqual([
          waiting.session_id,
        ]);
        expect(ids((await store.list(query({ filters: { status: 'idle' } }))).items)).toEqual([
          idle.session_id,
        ]);
      });

      it('filters on source and team', async () => {
        const scheduled = mine('scheduled', { source: 'schedule', updatedAt: 3 });
        const teamed = mine('teamed', { teamId: 'team-list', updatedAt: 2 });
        const plain = mine('plain', { updatedAt: 1 });
        await insert(scheduled, teamed, plain);
        const bySource = await store.list(query({ filters: { source: 'schedule' } }));
        expect(ids(bySource.items)).toEqual([scheduled.session_id]);
        expect(bySource.total).toBe(1);
        expect(ids((await store.list(query({ filters: { source: 'user' } }))).items)).toEqual(
          ids([teamed, plain]),
        );
        expect(ids((await store.list(query({ filters: { team_id: 'team-list' } }))).items)).toEqual([
          teamed.session_id,
        ]);
        expect((await store.list(query({ filters: { team_id: 'no-such-team' } }))).total).toBe(0);
      });

      it('filters on updated_at with an exclusive lower bound', async () => {
        const early = mine('early', { updatedAt: 10 });
        const boundary = mine('boundary', { updatedAt: 20 });
        const late = mine('late', { updatedAt: 30 });
        await insert(early, boundary, late);
        const page = await store.list(
          query({ filters: { updated_after: boundary.view.session.updated_at } }),
        );
        expect(ids(page.items)).toEqual([late.session_id]);
        expect(page.total).toBe(1);
      });

      it('combines filters', async () => {
        const match = mine('match', { source: 'channel', run: 'running', updatedAt: 5 });
        const wrongSource = mine('wrong-source', { source: 'user', run: 'running', updatedAt: 6 });
        const notRunning = mine('not-running', { source: 'channel', run: 'failed', updatedAt: 7 });
        await insert(match, wrongSource, notRunning);
        const page = await store.list(
          query({ filters: { source: 'channel', is_running: true, status: 'running' } }),
        );
        expect(ids(page.items)).toEqual([match.session_id]);
        expect(page.total).toBe(1);
      });
    });
  });
}
