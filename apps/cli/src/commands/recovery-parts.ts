import { INestApplicationContext } from '@nestjs/common';
import { Registry } from 'prom-client';
import { AppConfig } from '@app/config';
import { KafkaEventLogReader } from '@app/kafka';
import { AppliedPositions, ChangeFeed, DeadLetterSink, EventArchive, ViewGenerations } from '@app/ports';
import { ProjectionEngine, ProjectorMetrics } from '@app/projection';
import { DeadLetterRedrive, EventLogReader, LogReprojector, RecoveryMetrics } from '@app/recovery';
import { UsageError } from '../command';

/** The projection engine on the profile's ports, as the projector runs it, counting into a registry of its own. */
function engine(app: INestApplicationContext, registry: Registry): ProjectionEngine {
  return new ProjectionEngine(
    app.get(EventArchive),
    app.get(ViewGenerations),
    app.get(ChangeFeed),
    app.get(DeadLetterSink),
    new ProjectorMetrics(registry),
  );
}

export function deadLetterRedrive(app: INestApplicationContext): DeadLetterRedrive {
  const registry = new Registry();
  return new DeadLetterRedrive(app.get(DeadLetterSink), engine(app, registry), new RecoveryMetrics(registry));
}

/** The events topic, read directly; the embedded profile has no log apart from its archive. */
export function eventLogReader(app: INestApplicationContext): EventLogReader {
  if (app.get(AppConfig).profile !== 'production') {
    throw new UsageError(
      'the embedded profile keeps its log and its archive in one table: there is no separate log to recover from ' +
        '(use verify, and rebuild for the views)',
    );
  }
  return app.get(KafkaEventLogReader);
}

export function logReprojector(app: INestApplicationContext): LogReprojector {
  const registry = new Registry();
  return new LogReprojector(
    eventLogReader(app),
    app.get(EventArchive),
    app.get(ViewGenerations),
    app.get(ChangeFeed),
    app.get(AppliedPositions),
    new ProjectorMetrics(registry),
    new RecoveryMetrics(registry),
  );
}
