import { AppConfig } from '@app/config';
import { AppLogger, logRequests } from '@app/logging';
import { DynamicModule, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseJsonBodiesAsFastApi } from './body/json-body-parser';
import { answerClientError } from './errors/client-error';
import { toErrorResponse } from './errors/error-response';
import { ErrorResponseFilter } from './errors/error-response.filter';
import { serveConsole } from './console/console-static';
import { addEntityTag } from './etag';
import { OpenApiInfo, setupOpenApi } from './openapi/openapi';
import { limitRequestRate } from './protection/rate-limit';
import {
  DEFAULT_REQUEST_TIMEOUTS,
  RequestTimeouts,
  requestTimeoutOptions,
} from './protection/request-timeouts';
import { sendSecurityHeaders } from './protection/security-headers';
import { RouteTable } from './routing/route-table';
import { RequestValidationPipe } from './validation/request-validation.pipe';

export interface HttpAppOptions {
  /** Serve /openapi.json and /docs describing the app's routes. */
  openApi?: OpenApiInfo;
  /** Largest request body accepted; Fastify's default (1 MiB) when absent. */
  bodyLimitBytes?: number;
  /** Where Nest's lines and the request log go; an AppLogger from AppConfig when absent. */
  logger?: LoggerService;
  /** Serve the audit console's static files under /console/ (apps/console, built by `npm run build`). */
  console?: boolean;
  /** How long a client may take to send a request; DEFAULT_REQUEST_TIMEOUTS when absent. */
  timeouts?: RequestTimeouts;
  /** Requests per caller and minute (RATE_LIMIT_PER_MINUTE); no limit when absent or 0. */
  rateLimitPerMinute?: number;
}

/** The Fastify adapter every app and HTTP test uses, so routing behaves the same everywhere. */
export function createFastifyAdapter(options: HttpAppOptions = {}): FastifyAdapter {
  return new FastifyAdapter({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    ...requestTimeoutOptions(options.timeouts ?? DEFAULT_REQUEST_TIMEOUTS),
    // The origin's framework serves HEAD only where a route declares it; elsewhere HEAD is a 405.
    exposeHeadRoutes: false,
    clientErrorHandler: answerClientError,
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) =>
      answerRouterError(error, reply),
    routerOptions: {
      // The seed's path is `/sessions/`; `/sessions` must answer the same.
      ignoreTrailingSlash: true,
      // Longer path parameters would be a 404 from the router instead of a 422 naming the parameter.
      maxParamLength: 2048,
    },
  });
}

/** The router refuses some URLs (bad percent-encoding, a parameter past maxParamLength) before Nest sees them. */
function answerRouterError(error: Error, reply: FastifyReply): void {
  const response = toErrorResponse(error);
  reply.status(response.status).headers(response.headers).send(response.body);
}

/**
 * Everything an app needs before it serves: the error shape, request validation, ETags, OpenAPI and shutdown
 * hooks. Tests that build their app from a testing module call this too, so they exercise the same behaviour.
 */
export function configureHttpApp(app: NestFastifyApplication, options: HttpAppOptions = {}): void {
  const fastify = app.getHttpAdapter().getInstance();
  const routes = new RouteTable();
  routes.track(fastify);
  sendSecurityHeaders(fastify);
  limitRequestRate(fastify, options.rateLimitPerMinute ?? 0);
  parseJsonBodiesAsFastApi(app);
  app.useGlobalFilters(new ErrorResponseFilter(routes));
  app.useGlobalPipes(new RequestValidationPipe());
  app.getHttpAdapter().getInstance().addHook('onSend', addEntityTag);
  logRequests(app.getHttpAdapter().getInstance());
  app.enableShutdownHooks();
  if (options.openApi) setupOpenApi(app, options.openApi);
  if (options.console) serveConsole(app);
}

/** Creates the app on Fastify, configures it and listens on `AppConfig.http` (HTTP_HOST, HTTP_PORT). */
export async function bootstrapHttpApp(
  module: Type<unknown> | DynamicModule,
  options: HttpAppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module, createFastifyAdapter(options), {
    // A start-up error reaches the caller, which reports it once, instead of Nest aborting the process.
    abortOnError: false,
    ...(options.logger ? { logger: options.logger } : { bufferLogs: true }),
  });
  const config = app.get(AppConfig);
  if (!options.logger) app.useLogger(new AppLogger(config));
  configureHttpApp(app, { rateLimitPerMinute: config.httpLimits.rateLimitPerMinute, ...options });
  await app.listen(config.http.port, config.http.host);
  return app;
}
