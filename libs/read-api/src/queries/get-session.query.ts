import { SessionView } from '@app/domain';
import { ApiError, ApiErrorCode } from '@app/http';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ActiveViews } from '../active-views';

export class GetSessionQuery extends Query<SessionView> {
  constructor(
    readonly userId: string,
    readonly sessionId: string,
  ) {
    super();
  }
}

@QueryHandler(GetSessionQuery)
export class GetSessionHandler implements IQueryHandler<GetSessionQuery> {
  constructor(private readonly views: ActiveViews) {}

  async execute({ userId, sessionId }: GetSessionQuery): Promise<SessionView> {
    const projection = await (await this.views.store()).get(sessionId);
    // Another user's session answers exactly like a missing one, so ids cannot be probed.
    if (projection === null || projection.deleted || projection.view.session.user_id !== userId) {
      throw new ApiError(ApiErrorCode.NotFound, 'Session not found');
    }
    return projection.view;
  }
}
