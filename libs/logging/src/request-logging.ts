import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LogEntry } from './log-entry';
import { runInRequest } from './request-context';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's own request id is kept when it is a plain token; anything else could forge or break log lines. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Probes and scrapes arrive every few seconds from orchestrators and Prometheus; at info they would drown every other
 * line, so their requests are logged at debug.
 */
const QUIET_ROUTES = /^\/(health|metrics)(\/|$)/;

/**
 * Gives every request an id (the caller's `x-request-id`, or a fresh UUID), echoes it in the response, tags every
 * log line written while serving it, and logs one line per request: method, route template, status and duration.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger = new Logger('HTTP')): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const offered = request.headers[REQUEST_ID_HEADER];
    const requestId =
      typeof offered === 'string' && ACCEPTED_REQUEST_ID.test(offered) ? offered : randomUUID();
    reply.header(REQUEST_ID_HEADER, requestId);
    runInRequest(requestId, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const entry = requestEntry(request, reply);
    if (QUIET_ROUTES.test(String(entry.fields.route))) logger.debug(entry);
    else logger.log(entry);
    done();
  });
}

function requestEntry(request: FastifyRequest, reply: FastifyReply): LogEntry {
  const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
  const durationMs = Math.round(reply.elapsedTime * 10) / 10;
  return new LogEntry(`${request.method} ${route} ${reply.statusCode} ${durationMs} ms`, {
    request_id: String(reply.getHeader(REQUEST_ID_HEADER)),
    method: request.method,
    route,
    status: reply.statusCode,
    duration_ms: durationMs,
  });
}
