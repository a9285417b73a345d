import { Injectable } from '@nestjs/common';
import { SessionProjection } from '@app/domain';
import { ApiError, ApiErrorCode } from '@app/http';
import { StoredViewText } from '@app/ports';
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
    return ownedOrNotFound(
      projection,
      projection && { userId: projection.view.session.user_id, deleted: projection.deleted },
      userId,
      options,
    );
  }

  /** The caller's live (not deleted) view of `sessionId` as its stored JSON text, checked as `projection` is. */
  async viewText(userId: string, sessionId: string): Promise<{ view: StoredViewText; generation: string }> {
    const { generation, store } = await this.views.current();
    const view = await store.getViewText(sessionId, userId);
    return { view: ownedOrNotFound(view, view, userId, { includeDeleted: false }), generation };
  }
}

function ownedOrNotFound<T>(
  found: T | null,
  ownership: { userId: string; deleted: boolean } | null,
  userId: string,
  options: { includeDeleted: boolean },
): T {
  if (
    found === null ||
    ownership === null ||
    ownership.userId !== userId ||
    (ownership.deleted && !options.includeDeleted)
  ) {
    throw new ApiError(ApiErrorCode.NotFound, 'Session not found');
  }
  return found;
}
