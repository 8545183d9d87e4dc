import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { Plugin, PluginModule } from '../api/plugin.js';
import { SluiceError } from '../errors/sluice-error.js';

/**
 * Loads third-party plugins named in `plugin.path`: each entry is an npm package name or a path to a
 * module; it must have a named export `plugins` (runtime/api PluginModule).
 */
export async function loadPluginPath(entries: readonly string[], baseDir: string): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  for (const entry of entries) {
    const specifier =
      entry.startsWith('.') || isAbsolute(entry) ? pathToFileURL(resolve(baseDir, entry)).href : entry;
    let module: Partial<PluginModule>;
    try {
      module = (await import(specifier)) as Partial<PluginModule>;
    } catch (error) {
      throw new SluiceError(
        'CONFIG_INVALID_VALUE',
        [entry, 'plugin.path', `cannot load module: ${(error as Error).message}`],
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
