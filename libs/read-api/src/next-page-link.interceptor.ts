import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import type { SessionList, SessionPage } from './queries/list-sessions.query';

/**
 * Sends a page's list as the body (the seed's `{sessions, total}`, untouched) and where the next page starts as an
 * RFC 8288 `Link: <...>; rel="next"` header: the same request with `cursor` set and `offset` dropped.
 */
@Injectable()
export class NextPageLinkInterceptor implements NestInterceptor<SessionPage, SessionList> {
  intercept(context: ExecutionContext, next: CallHandler<SessionPage>): Observable<SessionList> {
    const http = context.switchToHttp();
    return next.handle().pipe(
      map(({ list, nextCursor }) => {
        if (nextCursor !== null) {
          void http
            .getResponse<FastifyReply>()
            .header(
              'Link',
              `<${nextPageUrl(http.getRequest<FastifyRequest>().url, nextCursor)}>; rel="next"`,
            );
        }
        return list;
      }),
    );
  }
}

function nextPageUrl(requestUrl: string, cursor: string): string {
  const url = new URL(requestUrl, 'http://request.invalid');
  url.searchParams.delete('offset');
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}${url.search}`;
}
