import { AuthModule } from '@app/http';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ActiveViews } from './active-views';
import { ChangeStreamSettings } from './change-stream-settings';
import { GetSessionHandler } from './queries/get-session.query';
import { ListSessionsHandler } from './queries/list-sessions.query';
import { WatchSessionChangesHandler } from './queries/watch-session-changes.query';
import { SessionsController } from './sessions.controller';
import { ViewsReadiness } from './views-readiness';

/**
 * GET /sessions/, /sessions/:session_id and /sessions/changes. Needs the ViewGenerations and ChangeFeed ports (from
 * the global RuntimeModule) and AppConfig (AUTH_MODE); adds a `session-views` readiness check when HealthModule is
 * imported too.
 */
@Module({
  imports: [CqrsModule.forRoot(), AuthModule],
  controllers: [SessionsController],
  providers: [
    ActiveViews,
    ChangeStreamSettings,
    ListSessionsHandler,
    GetSessionHandler,
    WatchSessionChangesHandler,
    ViewsReadiness,
  ],
})
export class ReadApiModule {}
