import type { ConnectorConfig } from '../api/connector.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { PluginRegistry } from './plugin-registry.js';
import type { TaskConverters } from './task-environment.js';

function optionsWithPrefix(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/**
 * Builds a task's key/value/header converters: the connector's `key.converter` etc. when set (with its
 * `key.converter.*` options), else the worker's — as Kafka Connect does.
 */
export function createConverters(
  plugins: PluginRegistry,
  workerConfig: Readonly<Record<string, string>>,
  connectorConfig: ConnectorConfig,
): TaskConverters {
  const pick = (key: string): { className: string; options: Record<string, string> } => {
    const fromConnector = connectorConfig[key];
    const source = fromConnector !== undefined ? connectorConfig : workerConfig;
    const className = source[key];
    if (className === undefined) throw new SluiceError('CONFIG_MISSING', [key]);
    return { className, options: optionsWithPrefix(source, `${key}.`) };
  };
  const key = pick('key.converter');
  const value = pick('value.converter');
  const header = pick('header.converter');
  const keyPlugin = plugins.converter(key.className);
  const valuePlugin = plugins.converter(value.className);
  const headerPlugin = plugins.headerConverter(header.className);
  if (!keyPlugin)
    throw new SluiceError('CONFIG_INVALID_VALUE', [key.className, 'key.converter', 'no such converter']);
  if (!valuePlugin)
    throw new SluiceError('CONFIG_INVALID_VALUE', [value.className, 'value.converter', 'no such converter']);
  if (!headerPlugin)
    throw new SluiceError('CONFIG_INVALID_VALUE', [
      header.className,
      'header.converter',
      'no such header converter',
    ]);
  const keyConverter = keyPlugin.create();
  keyConverter.configure(key.options, true);
  const valueConverter = valuePlugin.create();
  valueConverter.configure(value.options, false);
  const headerConverter = headerPlugin.create();
  headerConverter.configure(header.options);
  return {
    key: keyConverter,
    value: valueConverter,
    header: headerConverter,
    keyClass: keyPlugin.className,
    valueClass: valuePlugin.className,
    headerClass: headerPlugin.className,
  };
}
