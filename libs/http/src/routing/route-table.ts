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
        if (!this.router.hasRoute(method, route.url))
          this.router.on(method, route.url, () => undefined, { pattern: route.url });
      }
    });
  }

  /**
   * The methods served at `url` (a request URL, query string ignored), in a fixed order; [] when none. Where routes
   * of different patterns match (`/sessions/events` is POST's own path and a `/sessions/{session_id}` for GET), only
   * the most specific pattern's methods count, as that is the resource the URL names and the document describes.
   */
  allowedMethods(url: string): string[] {
    const path = url.split('?', 1)[0];
    const matches = METHODS.flatMap((method) => {
      const found = this.router.find(method, path);
      return found ? [{ method, pattern: (found.store as { pattern: string }).pattern }] : [];
    });
    const specificity = (pattern: string) => (pattern.match(/[:*]/g) ?? []).length;
    const best = Math.min(...matches.map((match) => specificity(match.pattern)));
    return matches.filter((match) => specificity(match.pattern) === best).map((match) => match.method);
  }
}
