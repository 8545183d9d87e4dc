import { restGet } from './rest-client.js';
import type { ConfigKeyDefinition } from './rest-types.js';

const cache = new Map<string, Promise<ReadonlyMap<string, ConfigKeyDefinition>>>();

/** A plugin's configuration definition by key (`GET /connector-plugins/{plugin}/config`), fetched once. */
export function pluginDefinitions(plugin: string): Promise<ReadonlyMap<string, ConfigKeyDefinition>> {
  let definitions = cache.get(plugin);
  if (definitions === undefined) {
    definitions = restGet<ConfigKeyDefinition[]>(`/connector-plugins/${encodeURIComponent(plugin)}/config`)
      .then((keys) => new Map(keys.map((key) => [key.name, key])))
      .catch(() => {
        cache.delete(plugin);
        return new Map<string, ConfigKeyDefinition>();
      });
    cache.set(plugin, definitions);
  }
  return definitions;
}
