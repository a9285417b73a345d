import { Module } from '@nestjs/common';
import { ProjectionModule } from './projection.module';
import { ProjectorRunner } from './projector-runner';
import { SqliteLogTailer } from './sqlite.log-tailer';

/**
 * The embedded projector: the log tailer, started with the application. Separate from SqliteModule so that tools
 * which only read or rebuild (and tests of the adapters) never start projecting. Needs SqliteModule.forRoot() and a
 * prom-client Registry in the application.
 */
@Module({
  imports: [ProjectionModule],
  providers: [SqliteLogTailer, { provide: ProjectorRunner, useExisting: SqliteLogTailer }],
  exports: [SqliteLogTailer, ProjectorRunner],
})
export class SqliteProjectorModule {}
