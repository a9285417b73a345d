import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { IngestToken, resolveIngestToken } from './ingest-token';
import { IngestTokenMiddleware } from './ingest-token.middleware';

/**
 * POST /sessions/events, appending through the EventLog port (the SQLite log embedded, Kafka in production). The
 * app must serve it with a body limit of at least INGEST_BODY_LIMIT_BYTES.
 */
@Module({
  controllers: [IngestController],
  providers: [
    IngestService,
    {
      provide: IngestToken,
      useFactory: (config: AppConfig) => resolveIngestToken(config),
      inject: [AppConfig],
    },
  ],
  exports: [IngestService],
})
export class IngestModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(IngestTokenMiddleware).forRoutes({ path: 'sessions/events', method: RequestMethod.POST });
  }
}
