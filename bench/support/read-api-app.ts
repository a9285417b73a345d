import { AppConfig } from '@app/config';
import { bootstrapHttpApp } from '@app/http';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { QueryApiModule } from '../../apps/query-api/src/query-api.module';

export interface RunningReadApi {
  app: NestFastifyApplication;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
}

/**
 * apps/query-api on `config`'s profile, bootstrapped as its main.ts does (Fastify, error shape, validation, ETags)
 * and listening on a free port of 127.0.0.1, so requests cross a real socket.
 */
export async function startReadApi(config: AppConfig): Promise<RunningReadApi> {
  const app = await bootstrapHttpApp(QueryApiModule.forRoot(config));
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}
