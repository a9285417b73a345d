import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the audit console is served. Its pages call the public API only; nothing here exists for them. */
export const CONSOLE_PATH = '/console/';

/**
 * The console bundle `npm run build` writes (apps/console, built by Vite) into `dist/console` of the package:
 * the nearest folder above this file holding package.json is the package, from the sources and from dist/ alike.
 */
export function consoleBundleDir(from: string = __dirname): string {
  let folder = from;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) return join(from, 'console');
    folder = parent;
  }
  return join(folder, 'dist', 'console');
}

/**
 * Serves the console's static files under CONSOLE_PATH through @fastify/static. The file names of Vite's assets
 * carry a hash of their content, so they are cached for good; index.html is revalidated on every load so a new
 * build is picked up at once. Without a built bundle (a run from source) the API serves as usual and the log says, at
 * info level since nothing the API promises is missing, how to build it.
 */
export function serveConsole(app: NestFastifyApplication, root: string = consoleBundleDir()): void {
  if (!existsSync(join(root, 'index.html'))) {
    new Logger('Console').log(`no console at ${CONSOLE_PATH}: ${root} holds no build (npm run build)`);
    return;
  }
  void app.register(fastifyStatic, {
    root,
    prefix: CONSOLE_PATH,
    decorateReply: false,
    // The page routes with the URL fragment, so every path the server sees is a file or the index. One route per
    // file of the build, found at start: the router ignores trailing slashes, so a wildcard route under
    // /console/ would never see /console/ itself.
    index: 'index.html',
    wildcard: false,
    cacheControl: false,
    setHeaders: (response, path) => {
      response.setHeader(
        'Cache-Control',
        path.startsWith(join(root, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
