import { configureHttpApp, createFastifyAdapter, HttpAppOptions } from '@app/http';
import { ChangeStreamSettings } from '@app/read-api';
import { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';

type Import = Type<unknown> | DynamicModule | Promise<DynamicModule> | ForwardReference;

export interface HttpTestAppOptions {
  /** Short, so a test sees a heartbeat without waiting the production interval. */
  heartbeatMs?: number;
  /** Further overrides of the testing module, e.g. a port wrapped to observe it. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** HTTP options beyond the OpenAPI document every test app serves, e.g. short request timeouts. */
  http?: Omit<HttpAppOptions, 'openApi'>;
}

/**
 * An app built from `imports` exactly as `bootstrapHttpApp` configures one (Fastify, error shape, validation, ETags,
 * OpenAPI), listening on a free port of 127.0.0.1 so server-sent events can be read over a real socket.
 */
export async function startHttpTestApp(
  imports: Import[],
  options: HttpTestAppOptions = {},
): Promise<NestFastifyApplication> {
  const builder = Test.createTestingModule({ imports })
    .overrideProvider(ChangeStreamSettings)
    .useValue({ heartbeatMs: options.heartbeatMs ?? 60_000 });
  const moduleRef = await (options.override ?? ((same) => same))(builder).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(options.http), {
    logger: false,
  });
  configureHttpApp(app, {
    ...options.http,
    openApi: { title: 'agent-session-store (test)', description: 'test', version: '0' },
  });
  await app.listen(0, '127.0.0.1');
  return app;
}
