import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where the web console is served; docs/console.md documents it. */
export const CONSOLE_PREFIX = '/ui/';

/** The built console (scripts/build-console.mjs writes dist/ui/, next to this file's dist/api/). */
export const CONSOLE_DIRECTORY = fileURLToPath(new URL('../ui/', import.meta.url));

/**
 * Serves the web console's static files at /ui/. The console is a client of the public REST API like any
 * other, so nothing else is added for it. Without a built console (a build that skipped it) the worker
 * simply has none: /ui/ answers 404 like any unknown path.
 */
export function registerConsole(app: FastifyInstance, directory: string = CONSOLE_DIRECTORY): boolean {
  if (!existsSync(join(directory, 'index.html'))) return false;
  void app.register(fastifyStatic, { root: directory, prefix: CONSOLE_PREFIX, maxAge: 0 });
  // The router ignores trailing slashes, so /ui/ is the route /ui, which the static files' /ui/* misses. A
  // page at /ui would resolve its relative links against /: send the browser to /ui/ first (a relative
  // Location, so a proxy's path prefix survives).
  app.get('/ui/', (request, reply) =>
    request.url.split('?', 1)[0]!.endsWith('/') ? reply.sendFile('index.html') : reply.redirect('ui/', 301),
  );
  return true;
}
