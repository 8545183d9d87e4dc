/**
 * Replacing one of kafkajs's internal modules with Sluice's own. kafkajs binds its modules with require()
 * when it loads, so a replacement only takes effect if it is installed before kafkajs itself is loaded:
 * each replacing module runs from kafkajs-library.ts ahead of the require('kafkajs') there, and this
 * refuses to run later rather than silently not applying.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Loads kafkajs's module `specifier` (a path inside the package) and replaces its exports. */
export function replaceKafkajsModule(specifier: string, replacement: unknown): void {
  if (require.cache[require.resolve('kafkajs')] !== undefined)
    throw new Error(
      `${specifier} must be replaced before kafkajs loads (import kafkajs-library.js, not kafkajs)`,
    );
  const path = require.resolve(specifier);
  require(path);
  require.cache[path]!.exports = replacement;
}

/** One of kafkajs's internal modules, for a replacement that builds on it. */
export function kafkajsModule<T>(specifier: string): T {
  return require(specifier) as T;
}
