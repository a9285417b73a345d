import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { InvalidEnvironmentError, loadConfig } from '@app/config';
import { bootstrapHttpApp } from '@app/http';
import { KafkaEventConsumer } from '@app/kafka';
import { ProjectorModule } from './projector.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await bootstrapHttpApp(ProjectorModule.forRoot(config));
  const logger = new Logger('Projector');
  logger.log(
    `projecting ${config.kafka!.eventsTopic} as group ${config.kafka!.consumerGroup}; ` +
      `health and metrics on http://${config.http.host}:${config.http.port}`,
  );
  // The client restarts the consumer after any error it can retry; anything else needs a fresh process.
  const failure = await app.get(KafkaEventConsumer).failure;
  logger.error(`the consumer stopped for good, exiting: ${failure.stack ?? failure.message}`);
  await app.close();
  process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});
