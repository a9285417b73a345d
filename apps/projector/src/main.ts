import 'reflect-metadata';
import { bootstrapHttpApp } from '@app/http';
import { KafkaEventConsumer } from '@app/kafka';
import { listeningUrl, startApp } from '@app/logging';
import { ProjectorModule } from './projector.module';

startApp('Projector', async (config, logger) => {
  const app = await bootstrapHttpApp(ProjectorModule.forRoot(config), { logger });
  logger.announce(
    `projecting ${config.kafka!.eventsTopic} as group ${config.kafka!.consumerGroup}; ` +
      `health and metrics on ${listeningUrl(app)}`,
    'Projector',
  );
  // The client restarts the consumer after any error it can retry; anything else needs a fresh process.
  void app
    .get(KafkaEventConsumer)
    .failure.then(async (failure) => {
      logger.error(
        `the consumer stopped for good, exiting: ${failure.stack ?? failure.message}`,
        'Projector',
      );
      await app.close();
    })
    .finally(() => process.exit(1));
});
