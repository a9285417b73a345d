import { definedEntityTag } from '@app/http';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { OwnedSessions } from '../owned-sessions';
import { PrebuiltJson } from '../prebuilt-json';

/** The body is the session's SessionView: its stored JSON text as it is. */
export class GetSessionQuery extends Query<PrebuiltJson> {
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

  async execute({ userId, sessionId }: GetSessionQuery): Promise<PrebuiltJson> {
    const { view, generation } = await this.sessions.viewText(userId, sessionId);
    // A view is a function of its generation, session and version, so these name the body without reading it.
    return {
      body: view.viewJson,
      entityTag: definedEntityTag([userId, sessionId, generation, view.version]),
    };
  }
}
