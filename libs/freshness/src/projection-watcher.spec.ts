import { loadConfig } from '@app/config';
import { AppliedPositions, LogHead, LogPosition } from '@app/ports';
import { eventually } from '../../../test/contracts/contract-support';
import { ProjectionWatcher } from './projection-watcher';

/** Positions held in memory, as the projector and the log would report them. */
class HeldPositions extends AppliedPositions {
  position: LogPosition = new Map();
  reads = 0;

  read(): Promise<LogPosition> {
    this.reads += 1;
    return Promise.resolve(this.position);
  }

  async record(position: LogPosition): Promise<void> {
    this.position = position;
    this.announce();
  }
}

class HeldHead extends LogHead {
  position: LogPosition = new Map();
  failure: Error | null = null;

  read(): Promise<LogPosition> {
    return this.failure ? Promise.reject(this.failure) : Promise.resolve(this.position);
  }
}

const at = (entries: [number, number][]): LogPosition => new Map(entries);

describe(ProjectionWatcher.name, () => {
  let applied: HeldPositions;
  let head: HeldHead;
  let watcher: ProjectionWatcher;

  beforeEach(async () => {
    applied = new HeldPositions();
    head = new HeldHead();
    watcher = new ProjectionWatcher(applied, head, loadConfig({ PROJECTION_WATCH_MS: '5' }));
    await watcher.onModuleInit();
  });
  afterEach(() => watcher.onModuleDestroy());

  it('answers at once what it has seen applied, and counts what the log holds past it', async () => {
    head.position = at([
      [0, 9],
      [1, 2],
    ]);
    await applied.record(at([[0, 5]]));
    await eventually(() => expect(watcher.current().eventsBehind).toBe(6));
    expect(await watcher.awaitPosition(at([[0, 5]]), 0)).toEqual({
      kind: 'applied',
      freshness: expect.objectContaining({ applied: at([[0, 5]]), eventsBehind: 6 }),
    });
  });

  it('wakes a waiter when the projector in this process records the position', async () => {
    head.position = at([[0, 3]]);
    const waiting = watcher.awaitPosition(at([[0, 3]]), 10_000);
    await applied.record(at([[0, 3]]));
    await expect(waiting).resolves.toMatchObject({ kind: 'applied' });
  });

  it('says a position is beyond the log only after a look at the log that began after the waiter came', async () => {
    head.position = at([[0, 3]]);
    await expect(watcher.awaitPosition(at([[0, 4]]), 10_000)).resolves.toMatchObject({ kind: 'beyond_log' });
  });

  it('still answers from the applied position while the log cannot be read, and never calls it beyond', async () => {
    head.failure = new Error('no broker answers');
    const waiting = watcher.awaitPosition(at([[0, 7]]), 10_000);
    applied.position = at([[0, 7]]);
    await expect(waiting).resolves.toMatchObject({ kind: 'applied' });
    await expect(watcher.awaitPosition(at([[0, 8]]), 50)).resolves.toMatchObject({ kind: 'behind' });
  });

  it('lets a waiter go as soon as its client leaves', async () => {
    head.position = at([[0, 10]]);
    const left = new AbortController();
    const waiting = watcher.awaitPosition(at([[0, 9]]), 10_000, left.signal);
    expect(watcher.waiting).toBe(1);
    left.abort();
    await expect(waiting).resolves.toMatchObject({ kind: 'behind' });
    expect(watcher.waiting).toBe(0);
  });

  it('answers every waiter "behind" when it stops', async () => {
    head.position = at([[0, 10]]);
    const waiting = [
      watcher.awaitPosition(at([[0, 9]]), 10_000),
      watcher.awaitPosition(at([[0, 10]]), 10_000),
    ];
    await watcher.onModuleDestroy();
    expect((await Promise.all(waiting)).map(({ kind }) => kind)).toEqual(['behind', 'behind']);
  });
});
