import 'reflect-metadata';
import { bootstrapHttpApp } from '@app/http';
import { listeningUrl, startApp } from '@app/logging';
import { ProjectorRunner } from '@app/projection';
import { ProjectorModule } from './projector.module';

startApp('Projector', async (config, logger) => {
  const app = await bootstrapHttpApp(ProjectorModule.forRoot(config), { logger });
  const runner = app.get(ProjectorRunner);
  logger.announce(`projecting ${runner.describe()}; health and metrics on ${listeningUrl(app)}`, 'Projector');
  void runner.failure
    .then(async (failure) => {
      logger.error(
        `the projector stopped for good, exiting: ${failure.stack ?? failure.message}`,
        'Projector',
      );
      await app.close();
    })
    .finally(() => process.exit(1));
});
