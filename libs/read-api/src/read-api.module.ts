import { FreshnessModule } from '@app/freshness';
import { AuthModule } from '@app/http';
import { ReplayModule } from '@app/replay';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ActiveViews } from './active-views';
import { ChangeStreamSettings } from './change-stream-settings';
import { OwnedSessions } from './owned-sessions';
import { GetSessionStateHandler } from './queries/get-session-state.query';
import { GetSessionHandler } from './queries/get-session.query';
import { ListSessionEventsHandler } from './queries/list-session-events.query';
import { ListSessionsHandler } from './queries/list-sessions.query';
import { WatchSessionChangesHandler } from './queries/watch-session-changes.query';
import { SessionsController } from './sessions.controller';
import { ViewsReadiness } from './views-readiness';

/**
 * GET /sessions/, /sessions/:session_id, its /events and /state, and /sessions/changes, each waiting for a
 * `min_position` and answering how fresh it is (FreshnessModule). Needs the ViewGenerations, EventArchive,
 * ChangeFeed, AppliedPositions and LogHead ports (from the global RuntimeModule) and AppConfig (AUTH_MODE); adds a `session-views` readiness check when HealthModule is
 * imported too.
 */
@Module({
  imports: [CqrsModule.forRoot(), AuthModule, ReplayModule, FreshnessModule],
  controllers: [SessionsController],
  providers: [
    ActiveViews,
    ChangeStreamSettings,
    ListSessionsHandler,
    GetSessionHandler,
    ListSessionEventsHandler,
    GetSessionStateHandler,
    OwnedSessions,
    WatchSessionChangesHandler,
    ViewsReadiness,
  ],
})
export class ReadApiModule {}
