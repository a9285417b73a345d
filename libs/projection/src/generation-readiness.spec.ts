import { FOLD_VERSION } from '@app/domain';
import { ReadinessChecks } from '@app/http';
import { REBUILD_COMMAND } from '@app/ports';
import { SqliteDatabase, SqliteViewGenerations } from '@app/sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenerationReadiness } from './generation-readiness';

describe(GenerationReadiness.name, () => {
  let dataDir: string;
  let database: SqliteDatabase;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'generation-readiness-'));
    database = SqliteDatabase.open(dataDir);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is ready on a generation of this build, and says "rebuild required" with the command on another', async () => {
    const generations = new SqliteViewGenerations(database);
    const checks = new ReadinessChecks();
    new GenerationReadiness(generations, checks).onModuleInit();
    expect(await checks.run()).toEqual({ ready: true, checks: { 'view-generation': 'ok' } });

    const active = await generations.active();
    await database.write((connection) => {
      database
        .statement(connection, 'UPDATE view_generations SET fold_version = ? WHERE name = ?')
        .run(FOLD_VERSION + 1, active);
    });

    const report = await checks.run();
    expect(report.ready).toBe(false);
    expect(report.checks['view-generation']).toMatch(
      /^failed: rebuild required: view generation session_views_1/,
    );
    expect(report.checks['view-generation']).toContain(REBUILD_COMMAND);
  });
});
