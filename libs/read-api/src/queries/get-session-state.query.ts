import { SessionView } from '@app/domain';
import { ApiError, ApiErrorCode } from '@app/http';
import { SessionHistory } from '@app/replay';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SessionStateParams } from '../dto/session-history-params';
import { OwnedSessions } from '../owned-sessions';

/** A session as it was at a point of its history: the view, and which seq it reflects. */
export interface SessionStateAt {
  session_id: string;
  /** seq of the last event applied at that point. */
  version: number;
  deleted: boolean;
  view: SessionView;
}

export class GetSessionStateQuery extends Query<SessionStateAt> {
  constructor(
    readonly userId: string,
    readonly sessionId: string,
    readonly params: SessionStateParams,
  ) {
    super();
  }
}

@QueryHandler(GetSessionStateQuery)
export class GetSessionStateHandler implements IQueryHandler<GetSessionStateQuery> {
  constructor(
    private readonly sessions: OwnedSessions,
    private readonly history: SessionHistory,
  ) {}

  async execute({ userId, sessionId, params }: GetSessionStateQuery): Promise<SessionStateAt> {
    await this.sessions.projection(userId, sessionId, { includeDeleted: true });
    const point = params.at_seq !== undefined ? { atSeq: params.at_seq } : { at: params.at! };
    const projection = await this.history.stateAt(sessionId, point);
    if (!projection) throw new ApiError(ApiErrorCode.NotFound, 'Session did not exist yet at that point');
    return {
      session_id: projection.session_id,
      version: projection.version,
      deleted: projection.deleted,
      view: projection.view,
    };
  }
}
