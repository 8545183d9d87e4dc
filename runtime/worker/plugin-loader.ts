import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../api/logger.js';
import type { Plugin, PluginModule } from '../api/plugin.js';
import { SluiceError } from '../errors/sluice-error.js';

/** What `plugin.path` means here, said in every message about an entry that is not one. */
const PLUGIN_PATH_MEANING =
  'for Sluice, plugin.path lists npm packages (a package name, or a path to a package directory or a JavaScript module), not directories of Java jars';

/** The module file a package directory names as its entry (exports "." or main), or null when it has no package.json. */
function packageEntry(dir: string): string | null {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return null;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    main?: string;
    exports?: string | Record<string, string | Record<string, string>>;
  };
  const dot = typeof pkg.exports === 'string' ? pkg.exports : pkg.exports?.['.'];
  const fromExports = typeof dot === 'string' ? dot : (dot?.['import'] ?? dot?.['default']);
  return join(dir, fromExports ?? pkg.main ?? 'index.js');
}

/**
 * The import specifier for one entry, or null for an entry to skip: a directory that is not an npm
 * package is what a Kafka Connect install has in plugin.path (jars), so it is skipped with a warning
 * rather than stopping the worker with Node's "Directory import is not supported".
 */
function specifierOf(entry: string, baseDir: string, logger?: Logger): string | null {
  if (!entry.startsWith('.') && !isAbsolute(entry)) return entry;
  const path = resolve(baseDir, entry);
  if (!existsSync(path)) {
    throw new SluiceError('CONFIG_INVALID_VALUE', [entry, 'plugin.path', `${path} does not exist`]);
  }
  if (!statSync(path).isDirectory()) return pathToFileURL(path).href;
  const main = packageEntry(path);
  if (main === null) {
    logger?.warn(
      `plugin.path entry ${entry} is skipped: it is a directory without package.json; ${PLUGIN_PATH_MEANING}`,
      {
        entry,
      },
    );
    return null;
  }
  return pathToFileURL(main).href;
}

/**
 * Loads third-party plugins named in `plugin.path`: each entry is an npm package name or a path to a
 * package directory or a module; it must have a named export `plugins` (runtime/api PluginModule).
 */
export async function loadPluginPath(
  entries: readonly string[],
  baseDir: string,
  logger?: Logger,
): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  for (const entry of entries) {
    const specifier = specifierOf(entry, baseDir, logger);
    if (specifier === null) continue;
    let module: Partial<PluginModule>;
    try {
      module = (await import(specifier)) as Partial<PluginModule>;
    } catch (error) {
      throw new SluiceError(
        'CONFIG_INVALID_VALUE',
        [entry, 'plugin.path', `cannot load module (${PLUGIN_PATH_MEANING}): ${(error as Error).message}`],
        { cause: error },
      );
    }
    if (!Array.isArray(module.plugins)) {
      throw new SluiceError('CONFIG_INVALID_VALUE', [
        entry,
        'plugin.path',
        'the module has no named export "plugins"',
      ]);
    }
    plugins.push(...module.plugins);
  }
  return plugins;
}
