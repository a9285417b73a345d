import { AppConfig } from '@app/config';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MongoClient } from 'mongodb';
import { QueryApiModule } from '../../apps/query-api/src/query-api.module';
import { startHttpTestApp } from './http-test-app';
import { MongoTarget } from './infra';
import { deleteTopics, testKafkaClient, uniqueProductionConfig } from './kafka';

export interface RunningQueryApi {
  app: NestFastifyApplication;
  config: AppConfig;
  /** http://127.0.0.1:<port>, for clients that need a real socket (server-sent events). */
  baseUrl: string;
  /** Closes the app, then drops its database and topics. */
  stop(): Promise<void>;
}

/** apps/query-api in the production profile (Kafka + MongoDB) on a database and topics of its own. */
export async function startQueryApi(
  target: MongoTarget,
  env: Record<string, string> = {},
): Promise<RunningQueryApi> {
  const config = uniqueProductionConfig(target.uri, env);
  const app = await startHttpTestApp([QueryApiModule.forRoot(config)], { heartbeatMs: 200 });
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      await app.close();
      const client = new MongoClient(target.uri);
      try {
        await client.db(config.mongo!.database).dropDatabase();
      } finally {
        await client.close();
      }
      const kafka = config.kafka!;
      await deleteTopics(testKafkaClient(), [kafka.eventsTopic, kafka.changesTopic, kafka.deadLetterTopic]);
    },
  };
}
