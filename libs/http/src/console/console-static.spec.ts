import { Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createFastifyAdapter, configureHttpApp } from '../bootstrap-http-app';
import { CONSOLE_PATH, consoleBundleDir, serveConsole } from './console-static';

@Module({})
class EmptyModule {}

async function appServing(root: string): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [EmptyModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), {
    logger: false,
  });
  configureHttpApp(app);
  serveConsole(app, root);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe(serveConsole.name, () => {
  let bundle: string;

  beforeAll(() => {
    bundle = mkdtempSync(join(tmpdir(), 'console-bundle-'));
    mkdirSync(join(bundle, 'assets'));
    writeFileSync(join(bundle, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(bundle, 'assets', 'index-abc123.js'), 'export {};');
  });

  afterAll(() => rmSync(bundle, { recursive: true, force: true }));

  it('serves the index at /console/, revalidated on every load', async () => {
    const app = await appServing(bundle);
    const response = await app.inject({ method: 'GET', url: CONSOLE_PATH });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('<title>console</title>');
    await app.close();
  });

  it('caches hashed assets for good', async () => {
    const app = await appServing(bundle);
    const response = await app.inject({ method: 'GET', url: `${CONSOLE_PATH}assets/index-abc123.js` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await app.close();
  });

  it('answers 404 for a missing file and serves nothing outside the bundle', async () => {
    const app = await appServing(bundle);
    const missing = await app.inject({ method: 'GET', url: `${CONSOLE_PATH}assets/nope.js` });
    expect(missing.statusCode).toBe(404);
    const escape = await app.inject({ method: 'GET', url: `${CONSOLE_PATH}..%2fpackage.json` });
    expect(escape.statusCode).not.toBe(200);
    await app.close();
  });

  it('leaves /console/ unrouted when no bundle was built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-none-'));
    const app = await appServing(empty);
    expect((await app.inject({ method: 'GET', url: CONSOLE_PATH })).statusCode).toBe(404);
    await app.close();
    rmSync(empty, { recursive: true, force: true });
  });
});

describe(consoleBundleDir.name, () => {
  it("is dist/console of the package, from the sources and from dist's compiled copy alike", () => {
    const root = resolve(__dirname, '..', '..', '..', '..');
    expect(consoleBundleDir(__dirname)).toBe(join(root, 'dist', 'console'));
    expect(consoleBundleDir(join(root, 'dist', 'libs', 'http', 'src', 'console'))).toBe(
      join(root, 'dist', 'console'),
    );
  });
});
