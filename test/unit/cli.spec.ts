import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SessionEvent } from '@app/domain';
import { foldIntoStore, groupBySession } from '@app/projection';
import { SqliteDatabase, SqliteEventArchive, SqliteViewGenerations } from '@app/sqlite';
import { realisticHistory, sessionEvents } from '../factories/session-events';

const ROOT = resolve(__dirname, '..', '..');

/** The CLI as operators run it, in its own process, on an embedded store in `dataDir`. */
function cli(dataDir: string, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['-r', join(ROOT, 'test/support/register-typescript.js'), join(ROOT, 'apps/cli/src/main.ts'), ...args],
    { env: { PATH: process.env.PATH, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 60_000 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cli', () => {
  let dataDir: string;
  const first = realisticHistory('cli-1', 'user-1', 'agent-1');
  const second = sessionEvents('cli-2', 'user-1', 'agent-1').created().runStarted().events;

  /** Storage as the projector leaves it; each test's CLI process then opens the same file. */
  const withStorage = async <T>(
    work: (archive: SqliteEventArchive, generations: SqliteViewGenerations) => Promise<T>,
  ) => {
    const database = SqliteDatabase.open(dataDir);
    try {
      return await work(new SqliteEventArchive(database), new SqliteViewGenerations(database));
    } finally {
      await database.close();
    }
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-'));
    await withStorage(async (archive, generations) => {
      const events: SessionEvent[] = [...first, ...second];
      await archive.append(events);
      await foldIntoStore(
        generations.store(await generations.active()),
        groupBySession(events, (e) => e),
      );
    });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('verify passes on a clean store, then finds an injected corruption and exits 1', async () => {
    const clean = cli(dataDir, 'verify');
    expect([clean.code, clean.stdout]).toEqual([0, expect.stringContaining('checked 2 sessions')]);
    expect(clean.stdout).toContain(': 0 mismatched');

    await withStorage(async (_archive, generations) => {
      const store = generations.store(await generations.active());
      const stored = (await store.get('cli-2'))!;
      const corrupted = { ...stored, view: { ...stored.view, is_running: false } };
      await store.writeMany([{ projection: corrupted, expectedVersion: stored.version }]);
    });

    const dirty = cli(dataDir, 'verify');
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toContain('MISMATCH cli-2\n  view.is_running: stored false, expected true');
    expect(cli(dataDir, 'verify', '--session', 'cli-1').code).toBe(0);
    expect(cli(dataDir, 'verify', '--session', 'cli-2').code).toBe(1);
  });

  it('rebuild switches to a fresh generation with progress on stderr, and repairs what verify found', async () => {
    await withStorage(async (_archive, generations) => {
      const store = generations.store(await generations.active());
      const stored = (await store.get('cli-1'))!;
      await store.writeMany([
        {
          projection: { ...stored, view: { ...stored.view, status: 'idle' } },
          expectedVersion: stored.version,
        },
      ]);
    });

    const rebuilt = cli(dataDir, 'rebuild', '--grace-ms', '0');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toMatch(/rebuild: \d+\/\d+ events \(100%\)/);
    expect(rebuilt.stdout).toMatch(
      /rebuilt 2 sessions from \d+ events into session_views_2; now active \(was session_views_1\)/,
    );
    expect(cli(dataDir, 'verify').code).toBe(0);
    expect(cli(dataDir, 'generations').stdout).toBe('  session_views_1\n* session_views_2\n');
  });

  it('prints a session history one JSON event per line', () => {
    const { code, stdout } = cli(dataDir, 'events', 'cli-1', '--after-seq', '2', '--limit', '3');
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(first.slice(2, 5));
  });

  it('answers a usage mistake with the reason, the usage and exit code 2', () => {
    const unknown = cli(dataDir, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('Usage: npm run cli');
    expect(cli(dataDir, 'verify', '--sample', '150').stderr).toContain('--sample takes a percentage');
    expect(cli(dataDir, 'events').stderr).toContain('events needs a session id');
    expect(cli(dataDir, 'rebuild', '--bogus').code).toBe(2);
  });
});
