import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import type { PrebuiltJson } from './prebuilt-json';
import type { SessionPage } from './queries/list-sessions.query';

/**
 * Passes a page's list body on untouched (the seed's `{sessions, total}`) and says where the next page starts as an
 * RFC 8288 `Link: <...>; rel="next"` header: the same request with `cursor` set and `offset` dropped.
 */
@Injectable()
export class NextPageLinkInterceptor implements NestInterceptor<SessionPage, PrebuiltJson> {
  intercept(context: ExecutionContext, next: CallHandler<SessionPage>): Observable<PrebuiltJson> {
    const http = context.switchToHttp();
    return next.handle().pipe(
      map(({ body, entityTag, nextCursor }) => {
        if (nextCursor !== null) {
          void http
            .getResponse<FastifyReply>()
            .header(
              'Link',
              `<${nextPageUrl(http.getRequest<FastifyRequest>().url, nextCursor)}>; rel="next"`,
            );
        }
        return { body, entityTag };
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
