import { ReadAfterPosition } from '@app/freshness';
import {
  Authenticated,
  Caller,
  CallerIdentity,
  ErrorDetailSchema,
  Parameters,
  RequestValidationError,
  ValidationErrorSchema,
} from '@app/http';
import {
  applyDecorators,
  Controller,
  Get,
  Header,
  MessageEvent,
  Sse,
  SseSignal,
  UseInterceptors,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { ListSessionsParams, SessionIdParams, WatchChangesParams } from './dto/session-params';
import { NextPageLinkInterceptor } from './next-page-link.interceptor';
import { PrebuiltJson, SendPrebuiltJson } from './prebuilt-json';
import {
  SESSION_EVENT_PAGE_BODY,
  SESSION_LIST_BODY,
  SESSION_STATE_AT_BODY,
  SESSION_VIEW_BODY,
} from './openapi/response-bodies';
import { SessionEventsParams, SessionStateParams } from './dto/session-history-params';
import { GetSessionStateQuery, SessionStateAt } from './queries/get-session-state.query';
import { GetSessionQuery } from './queries/get-session.query';
import { ListSessionEventsQuery, SessionEventPage } from './queries/list-session-events.query';
import { ListSessionsQuery, SessionPage } from './queries/list-sessions.query';
import { WatchSessionChangesQuery } from './queries/watch-session-changes.query';

/** Bodies differ per caller: no shared cache may keep them, and a client revalidates each reuse by ETag. */
const PerCallerResponse = () =>
  applyDecorators(Header('Cache-Control', 'private, no-cache'), Header('Vary', 'Authorization, X-User-Id'));

@ApiTags('sessions')
@Controller('sessions')
@Authenticated()
@ApiUnprocessableEntityResponse({ type: ValidationErrorSchema, description: 'Validation Error' })
export class SessionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @PerCallerResponse()
  @UseInterceptors(SendPrebuiltJson, NextPageLinkInterceptor)
  @ApiOperation({
    summary: 'List sessions for an agent',
    description:
      "The caller's sessions of one agent, newest `created_at` first (`order=updated`: newest `updated_at` first); deleted sessions are left out. Also served at `/sessions` without the slash.",
  })
  @ApiOkResponse({ schema: SESSION_LIST_BODY, description: 'Successful Response' })
  list(
    @CallerIdentity() caller: Caller,
    @Parameters() params: ListSessionsParams,
    @ReadAfterPosition() _fresh: unknown,
  ): Promise<SessionPage> {
    return this.queryBus.execute(new ListSessionsQuery(caller.userId, params));
  }

  @Sse('changes')
  @ApiOperation({
    summary: "Stream changes to the caller's sessions of an agent",
    description:
      "Server-sent events: `session.updated` (data `{session_id, version, log_position, view}`) and `session.deleted` (data `{session_id, version, log_position}`), each with the feed position as its id. `log_position` is the event-log position past the last event the change reflects, comparable with a write's `Log-Position` (SDK: `positionCovers`). Reconnect with `Last-Event-ID` to resume after it. `: subscribed` opens the stream; `: heartbeat` comments keep it alive. With `min_position`, the stream opens only once the projection has applied it.",
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'A stream of server-sent events; each `data` is JSON.',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  watch(
    @CallerIdentity() caller: Caller,
    @Parameters() params: WatchChangesParams,
    @ReadAfterPosition() _fresh: unknown,
    @SseSignal() ended: AbortSignal,
  ): Promise<Observable<MessageEvent>> {
    return this.queryBus.execute(
      new WatchSessionChangesQuery(caller.userId, params, params['last-event-id'], ended, caller.expiresAt),
    );
  }

  @Get(':session_id')
  @PerCallerResponse()
  @UseInterceptors(SendPrebuiltJson)
  @ApiOperation({ summary: 'Get one session' })
  @ApiOkResponse({ schema: SESSION_VIEW_BODY, description: 'Successful Response' })
  @ApiNotFoundResponse({
    type: ErrorDetailSchema,
    description: 'No such session for this caller (or it was deleted)',
  })
  get(
    @CallerIdentity() caller: Caller,
    @Parameters() params: SessionIdParams,
    @ReadAfterPosition() _fresh: unknown,
  ): Promise<PrebuiltJson> {
    return this.queryBus.execute(new GetSessionQuery(caller.userId, params.session_id));
  }

  @Get(':session_id/events')
  @PerCallerResponse()
  @ApiOperation({
    summary: "A session's history",
    description:
      "The archived events of one of the caller's sessions (deleted ones included), in seq order. Page with `after_seq` = the previous page's `next_after_seq`.",
  })
  @ApiOkResponse({ schema: SESSION_EVENT_PAGE_BODY, description: 'Successful Response' })
  @ApiNotFoundResponse({ type: ErrorDetailSchema, description: 'No such session for this caller' })
  events(
    @CallerIdentity() caller: Caller,
    @Parameters() params: SessionEventsParams,
    @ReadAfterPosition() _fresh: unknown,
  ): Promise<SessionEventPage> {
    return this.queryBus.execute(new ListSessionEventsQuery(caller.userId, params.session_id, params));
  }

  @Get(':session_id/state')
  @PerCallerResponse()
  @ApiOperation({
    summary: 'A session as it was',
    description:
      'The view folded from the archived events up to and including `at_seq`, or up to and including the instant `at`: give exactly one of the two (they exclude each other). The same fold as the live projection.',
  })
  @ApiOkResponse({ schema: SESSION_STATE_AT_BODY, description: 'Successful Response' })
  @ApiNotFoundResponse({
    type: ErrorDetailSchema,
    description: 'No such session for this caller, or not yet created then',
  })
  state(
    @CallerIdentity() caller: Caller,
    @Parameters() params: SessionStateParams,
    @ReadAfterPosition() _fresh: unknown,
  ): Promise<SessionStateAt> {
    if ((params.at_seq === undefined) === (params.at === undefined)) {
      throw new RequestValidationError([
        {
          type: 'value_error',
          loc: ['query', 'at_seq'],
          msg: 'Value error, give exactly one of at_seq and at',
          input: params.at_seq ?? null,
        },
      ]);
    }
    return this.queryBus.execute(new GetSessionStateQuery(caller.userId, params.session_id, params));
  }
}
