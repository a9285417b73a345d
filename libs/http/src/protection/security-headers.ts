import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The usual security headers (helmet's), with a Content-Security-Policy that admits only this origin's scripts:
 * no inline script anywhere, so /docs (Swagger UI, started by its own script file) and the console must load every
 * script from a file. Styles may be inline, as Swagger UI sets style attributes. No upgrade-insecure-requests: the
 * store is often reached over plain HTTP on a private address, where upgraded requests would fail.
 */
export function sendSecurityHeaders(fastify: FastifyInstance): void {
  void fastify.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
  });
}
