import { SessionView } from '@app/domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { OwnedSessions } from '../owned-sessions';

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
  constructor(private readonly sessions: OwnedSessions) {}

  async execute({ userId, sessionId }: GetSessionQuery): Promise<SessionView> {
    return (await this.sessions.projection(userId, sessionId, { includeDeleted: false })).view;
  }
}
