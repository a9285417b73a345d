import { Injectable } from '@nestjs/common';
import { SessionProjection } from '@app/domain';
import { ApiError, ApiErrorCode } from '@app/http';
import { ActiveViews } from './active-views';

/** The one ownership check of the read side: every per-session read goes through it. */
@Injectable()
export class OwnedSessions {
  constructor(private readonly views: ActiveViews) {}

  /**
   * The caller's projection of `sessionId`. Another user's session answers exactly like a missing one, so ids
   * cannot be probed. Deleted sessions are gone from the current view but their history stays auditable.
   */
  async projection(
    userId: string,
    sessionId: string,
    options: { includeDeleted: boolean },
  ): Promise<SessionProjection> {
    const projection = await (await this.views.store()).get(sessionId, userId);
    if (
      projection === null ||
      projection.view.session.user_id !== userId ||
      (projection.deleted && !options.includeDeleted)
    ) {
      throw new ApiError(ApiErrorCode.NotFound, 'Session not found');
    }
    return projection;
  }
}
