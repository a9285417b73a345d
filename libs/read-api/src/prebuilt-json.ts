import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';

/** A JSON body already serialised (stored view texts spliced in), with the tag of what defines it. */
export interface PrebuiltJson {
  body: string;
  /** From definedEntityTag: the caller, the query and the identity of what the body holds. */
  entityTag: string;
}

/**
 * Sends a handler's PrebuiltJson as it is. Fastify sends a string untouched, so the content type is said here; the
 * ETag set here is the one the entity-tag hook keeps (and answers If-None-Match with) instead of hashing the body.
 */
@Injectable()
export class SendPrebuiltJson implements NestInterceptor<PrebuiltJson, string> {
  intercept(context: ExecutionContext, next: CallHandler<PrebuiltJson>): Observable<string> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map(({ body, entityTag }) => {
        void reply.header('Content-Type', 'application/json; charset=utf-8').header('ETag', entityTag);
        return body;
      }),
    );
  }
}
