import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SessionEvent } from '@app/domain';
import { foldIntoStore, groupBySession } from '@app/projection';
import { SqliteDatabase, SqliteEventArchive, SqliteViewGenerations } from '@app/sqlite';
import { COMMANDS } from '../../apps/cli/src/command-table';
import { realisticHistory, sessionEvents } from '../factories/session-events';
import { childEnvironment } from '../support/child-environment';

const ROOT = resolve(__dirname, '..', '..');

/** The CLI as operators run it, in its own process, on an embedded store in `dataDir`. */
function cli(dataDir: string, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['-r', join(ROOT, 'test/support/register-typescript.js'), join(ROOT, 'apps/cli/src/main.ts'), ...args],
    { env: childEnvironment({ DATA_DIR: dataDir }), encoding: 'utf8', timeout: 60_000 },
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

    const rebuilt = cli(dataDir, 'rebuild');
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
    expect(unknown.stderr).toContain('Usage: session-store <command>');
    const badSample = cli(dataDir, 'verify', '--sample', '150');
    expect([badSample.code, badSample.stderr]).toEqual([
      2,
      expect.stringContaining('--sample takes a percentage'),
    ]);
    expect(badSample.stderr).toContain('Usage: session-store verify [options]');
    expect(cli(dataDir, 'events').stderr).toContain('events needs a session id');
    expect(cli(dataDir, 'generations', 'extra').stderr).toContain(
      'generations takes no arguments, not extra',
    );
  });

  it('accepts only the options a command declares', () => {
    for (const [command, foreign] of [
      ['verify', '--after-seq=1'],
      ['events', '--sample=5'],
      ['rebuild', '--grace-ms=5'],
      ['generations', '--session=cli-1'],
    ]) {
      const refused = cli(dataDir, command, ...(command === 'events' ? ['cli-1'] : []), foreign);
      expect([refused.code, refused.stderr]).toEqual([
        2,
        expect.stringContaining(`Unknown option '${foreign.split('=')[0]}'`),
      ]);
    }
  });

  it("shows each command's own help, and every command in the overview", () => {
    const verify = cli(dataDir, 'verify', '--help');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^Usage: session-store verify \[options\]/);
    expect(verify.stdout).toContain('--allow-empty');
    expect(verify.stdout).not.toContain('--after-seq');
    expect(cli(dataDir, 'help', 'events').stdout).toMatch(
      /^Usage: session-store events <session_id> \[options\]/,
    );
    const overview = cli('/nonexistent', '--help');
    expect(overview.code).toBe(0);
    // The overview pads every name to the longest one.
    const width = Math.max(...COMMANDS.map(({ name }) => name.length));
    for (const { name, summary } of COMMANDS)
      expect(overview.stdout).toContain(`${name}`.padEnd(width) + `   ${summary}`);
  });

  it('prints results as JSON with --json', () => {
    const verify = cli(dataDir, 'verify', '--json');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toEqual({
      empty: false,
      generation: 'session_views_1',
      sessionsChecked: 2,
      mismatches: [],
      passed: true,
    });
    expect(JSON.parse(cli(dataDir, 'generations', '--json').stdout)).toEqual({
      active: 'session_views_1',
      generations: ['session_views_1'],
    });
  });

  it('refuses a DATA_DIR without a store, exit 2, naming the file, and creates nothing', () => {
    const missing = join(dataDir, 'elsewhere');
    for (const command of ['verify', 'generations', 'rebuild']) {
      const refused = cli(missing, command);
      expect([refused.code, refused.stderr]).toEqual([
        2,
        `no store at ${join(missing, 'store.db')}: set DATA_DIR to the folder that holds store.db\n`,
      ]);
    }
    expect(existsSync(missing)).toBe(false);
  });

  it('fails verify on an empty store unless --allow-empty says it is expected', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cli-empty-'));
    try {
      await SqliteDatabase.open(empty).close();
      const refused = cli(empty, 'verify');
      expect([refused.code, refused.stdout]).toEqual([
        1,
        expect.stringContaining('the store holds no events'),
      ]);
      const allowed = cli(empty, 'verify', '--allow-empty', '--json');
      expect([allowed.code, JSON.parse(allowed.stdout)]).toEqual([
        0,
        { empty: true, sessionsChecked: 0, mismatches: [], passed: true },
      ]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the session-store bin', () => {
  /** A checkout in miniature: the real bin script, and a build that writes a stand-in for the compiled CLI. */
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cli-bin-'));
    mkdirSync(join(root, 'apps/cli/bin'), { recursive: true });
    cpSync(join(ROOT, 'apps/cli/bin/session-store.js'), join(root, 'apps/cli/bin/session-store.js'));
    const compiled = "console.log('compiled cli ran with', JSON.stringify(process.argv.slice(2)))";
    writeFileSync(
      join(root, 'package.json'),
      JSON.stringify({
        scripts: {
          build: `mkdir -p dist/apps/cli/src && echo ${JSON.stringify(compiled)} > dist/apps/cli/src/main.js && echo built`,
        },
      }),
    );
    chmodSync(join(root, 'apps/cli/bin/session-store.js'), 0o755);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const bin = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, 'apps/cli/bin/session-store.js'), ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('builds once when dist is missing, saying so, then runs the compiled code without building', () => {
    const first = bin('verify', '--json');
    expect(first.status).toBe(0);
    expect(first.stderr).toContain(
      'dist/apps/cli/src/main.js is missing: building once with `npm run build`',
    );
    expect(first.stdout).toBe('compiled cli ran with ["verify","--json"]\n');
    const second = bin('generations');
    expect([second.status, second.stderr, second.stdout]).toEqual([
      0,
      '',
      'compiled cli ran with ["generations"]\n',
    ]);
  });
});
