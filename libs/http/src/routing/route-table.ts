import type { FastifyInstance } from 'fastify';
import FindMyWay, { HTTPMethod, HTTPVersion } from 'find-my-way';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Every route the app serves, by path and method, in a router of its own: Fastify answers a path it serves under
 * another method as not found, where the origin's framework answers 405 with `Allow` naming the methods it does
 * serve. Built from Fastify's onRoute hook, with the same router options, so it matches exactly what Fastify does.
 */
export class RouteTable {
  private readonly router = FindMyWay<HTTPVersion.V1>({ ignoreTrailingSlash: true, maxParamLength: 2048 });

  /** Records each route as it is added; call before any route is registered. */
  track(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]) as HTTPMethod[];
      for (const method of methods) {
        if (!this.router.hasRoute(method, route.url)) this.router.on(method, route.url, () => undefined);
      }
    });
  }

  /** The methods served at `url` (a request URL, query string ignored), in a fixed order; [] when none. */
  allowedMethods(url: string): string[] {
    const path = url.split('?', 1)[0];
    return METHODS.filter((method) => this.router.find(method, path) !== null);
  }
}
