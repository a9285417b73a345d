import { ConfigModule, loadConfig } from '@app/config';
import { HealthModule, MetricsModule } from '@app/http';
import { IngestModule } from '@app/ingest';
import { DeadLetterReason, DeadLetterSink, ViewGenerations } from '@app/ports';
import { RuntimeModule } from '@app/runtime';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../../test/contracts/contract-support';
import { realisticHistory } from '../../../test/factories/session-events';
import { startHttpTestApp } from '../../../test/support/http-test-app';
import { OperationsController } from './operations.controller';
import { OperationsModule } from './operations.module';

const OPERATOR_TOKEN = 'operator-spec-token-0123456789';
const INGEST_TOKEN = 'ingest-spec-token-0123456789';
const AS_OPERATOR = { authorization: `Bearer ${OPERATOR_TOKEN}` };

/** The embedded store's modules (apps/store), with its projector, over `dataDir`. */
function startStore(dataDir: string, env: Record<string, string>): Promise<NestFastifyApplication> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', INGEST_TOKEN, ...env });
  return startHttpTestApp([
    ConfigModule.forRoot(config),
    RuntimeModule.forRoot(config),
    MetricsModule,
    HealthModule,
    RuntimeModule.projector(config),
    IngestModule,
    OperationsModule.forRoot(config),
  ]);
}

describe(OperationsController.name, () => {
  let dataDir: string;
  let app: NestFastifyApplication;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'operations-'));
  });
  afterEach(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('without OPERATOR_TOKEN', () => {
    it('serves no operator route, and documents none', async () => {
      app = await startStore(dataDir, {});
      for (const url of [
        '/operations/dead-letters',
        '/operations/generations',
        '/operations/dead-letters/1',
      ]) {
        const response = await app.inject({ method: 'GET', url, headers: AS_OPERATOR });
        expect([response.statusCode, response.json()]).toEqual([404, { detail: expect.any(String) }]);
      }
      const redrive = await app.inject({
        method: 'POST',
        url: '/operations/dead-letters/1/redrive',
        headers: AS_OPERATOR,
      });
      expect(redrive.statusCode).toBe(404);
      const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
      expect(Object.keys(document.paths).filter((path) => path.startsWith('/operations'))).toEqual([]);
    });
  });

  describe('with OPERATOR_TOKEN', () => {
    beforeEach(async () => {
      app = await startStore(dataDir, { OPERATOR_TOKEN });
    });

    const ingest = (events: unknown[]) =>
      app.inject({
        method: 'POST',
        url: '/sessions/events',
        headers: { authorization: `Bearer ${INGEST_TOKEN}` },
        payload: { events },
      });

    it('answers 401 without the token, with a wrong one, with the ingest token and with a user identity', async () => {
      const refusals = [
        {},
        { authorization: 'Bearer not-the-operator-token' },
        { authorization: `Bearer ${INGEST_TOKEN}` },
        { authorization: `Basic ${OPERATOR_TOKEN}` },
        { 'x-user-id': 'user-1' },
      ];
      for (const headers of refusals) {
        for (const [method, url] of [
          ['GET', '/operations/dead-letters'],
          ['GET', '/operations/generations'],
          ['POST', '/operations/dead-letters/1/redrive'],
        ] as const) {
          const response = await app.inject({ method, url, headers });
          expect([response.statusCode, response.json()]).toEqual([401, { detail: expect.any(String) }]);
          expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        }
      }
      const missing = await app.inject({ method: 'GET', url: '/operations/dead-letters' });
      expect(missing.json().detail).toMatch(/Authorization: Bearer <OPERATOR_TOKEN>/);
    });

    it('lists the dead letter of a poison event, shows it, and re-drives it once its cause is fixed', async () => {
      const [created, started] = realisticHistory('ops-poison', 'user-1', 'agent-1');
      // A run that starts before its session was created: the projector's fold rejects it.
      expect((await ingest([started])).statusCode).toBe(202);
      const listed = await eventually(async () => {
        const response = await app.inject({
          method: 'GET',
          url: '/operations/dead-letters',
          headers: AS_OPERATOR,
        });
        expect(response.statusCode).toBe(200);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.json().dead_letters).toHaveLength(1);
        return response.json().dead_letters;
      });
      const [letter] = listed;
      expect(letter).toMatchObject({
        reason: DeadLetterReason.FoldRejected,
        session_id: 'ops-poison',
        event_id: started.event_id,
        redriven_at: null,
        payload: JSON.stringify(started),
      });

      const filtered = (query: string) =>
        app
          .inject({ method: 'GET', url: `/operations/dead-letters?${query}`, headers: AS_OPERATOR })
          .then((response) => response.json().dead_letters.map((each: { id: string }) => each.id));
      expect(await filtered('reason=fold_rejected&session_id=ops-poison&limit=1')).toEqual([letter.id]);
      expect(await filtered('reason=invalid_event')).toEqual([]);
      expect(await filtered('session_id=another-session')).toEqual([]);
      const invalid = await app.inject({
        method: 'GET',
        url: '/operations/dead-letters?reason=nonsense&limit=0',
        headers: AS_OPERATOR,
      });
      expect(invalid.statusCode).toBe(422);
      expect(invalid.json().detail.map((issue: { loc: string[] }) => issue.loc)).toEqual([
        ['query', 'reason'],
        ['query', 'limit'],
      ]);

      const shown = await app.inject({
        method: 'GET',
        url: `/operations/dead-letters/${letter.id}`,
        headers: AS_OPERATOR,
      });
      expect([shown.statusCode, shown.json()]).toEqual([200, letter]);
      const unknown = await app.inject({
        method: 'GET',
        url: '/operations/dead-letters/999',
        headers: AS_OPERATOR,
      });
      expect([unknown.statusCode, unknown.json()]).toEqual([404, { detail: 'No dead letter 999' }]);

      expect((await ingest([created])).statusCode).toBe(202);
      const generations = app.get(ViewGenerations);
      await eventually(async () =>
        expect(await generations.store(await generations.active()).get('ops-poison')).not.toBeNull(),
      );
      const redriven = await app.inject({
        method: 'POST',
        url: `/operations/dead-letters/${letter.id}/redrive`,
        headers: AS_OPERATOR,
      });
      expect([redriven.statusCode, redriven.json()]).toEqual([
        200,
        { id: letter.id, outcome: 'projected', reasons: [] },
      ]);
      expect(await filtered('')).toEqual([]);
      expect(await filtered('include_redriven=true')).toEqual([letter.id]);
      const again = await app.inject({
        method: 'POST',
        url: `/operations/dead-letters/${letter.id}/redrive`,
        headers: AS_OPERATOR,
      });
      expect([again.statusCode, again.json().detail]).toEqual([
        409,
        expect.stringMatching(/was re-driven at/),
      ]);
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/dead_letters_redriven_total\{outcome="projected"\} 1/);
    });

    it('lists the view generations with the active one and their stamps', async () => {
      const generations = app.get(ViewGenerations);
      const active = await generations.active();
      const response = await app.inject({
        method: 'GET',
        url: '/operations/generations',
        headers: AS_OPERATOR,
      });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.active).toBe(active);
      expect(body.current_stamp).toEqual({ fold_version: expect.any(Number), shape: expect.any(String) });
      expect(body.generations).toEqual([
        { name: active, active: true, stamp: body.current_stamp, current: true },
      ]);
    });

    it('documents the routes with the operator scheme', async () => {
      const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
      expect(
        Object.keys(document.paths)
          .filter((path) => path.startsWith('/operations'))
          .sort(),
      ).toEqual([
        '/operations/dead-letters',
        '/operations/dead-letters/{id}',
        '/operations/dead-letters/{id}/redrive',
        '/operations/generations',
      ]);
      expect(document.paths['/operations/dead-letters'].get.security).toEqual([{ operatorToken: [] }]);
      expect(
        document.paths['/operations/dead-letters'].get.parameters.map((p: { name: string }) => p.name),
      ).toEqual(['reason', 'session_id', 'include_redriven', 'limit']);
      expect(document.components.securitySchemes.operatorToken).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
    });
  });

  describe('in a process that runs no projector (the production query API)', () => {
    it('refuses to re-drive, naming the CLI command', async () => {
      const config = loadConfig({ DATA_DIR: dataDir, OPERATOR_TOKEN });
      app = await startHttpTestApp([
        ConfigModule.forRoot(config),
        RuntimeModule.forRoot(config),
        MetricsModule,
        OperationsModule.forRoot(config),
      ]);
      const [, started] = realisticHistory('ops-no-engine');
      await app.get(DeadLetterSink).send([
        {
          payload: Buffer.from(JSON.stringify(started)),
          key: 'ops-no-engine',
          reason: DeadLetterReason.FoldRejected,
          detail: 'no session.created',
          source: { topic: 'events', offset: '0' },
          sessionId: 'ops-no-engine',
        },
      ]);
      const [letter] = await app.get(DeadLetterSink).list();
      const refused = await app.inject({
        method: 'POST',
        url: `/operations/dead-letters/${letter.id}/redrive`,
        headers: AS_OPERATOR,
      });
      expect([refused.statusCode, refused.json()]).toEqual([
        409,
        { detail: expect.stringContaining(`npm run cli -- redrive ${letter.id}`) },
      ]);
      const listed = await app.inject({
        method: 'GET',
        url: '/operations/dead-letters',
        headers: AS_OPERATOR,
      });
      expect(listed.json().dead_letters.map((each: { id: string }) => each.id)).toEqual([letter.id]);
    });
  });
});
