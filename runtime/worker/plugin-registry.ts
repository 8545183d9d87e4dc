import type {
  ConnectorPlugin,
  ConverterPlugin,
  HeaderConverterPlugin,
  Plugin,
  PredicatePlugin,
  TransformationPlugin,
} from '../api/plugin.js';
import { didYouMeanSuffix } from '../config/did-you-mean.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { PluginInfo } from '../cluster/rest-types.js';

type PluginOfType<T extends Plugin['type']> = Extract<Plugin, { type: T }>;

/** The class name Connect reports as `task.class`: the plugin's own, else Connect's naming convention. */
export function taskClassNameOf(plugin: ConnectorPlugin): string {
  if (plugin.taskClassName !== undefined) return plugin.taskClassName;
  const base = plugin.className.endsWith('Connector')
    ? plugin.className.slice(0, -'Connector'.length)
    : plugin.className;
  return `${base}Task`;
}

/** Every name a plugin answers to: its class name, aliases, the simple name and the name without "Connector" (as Connect). */
function namesOf(plugin: Plugin): string[] {
  const names = new Set<string>([plugin.className, ...plugin.aliases]);
  for (const name of [...names]) {
    const simple = name.slice(name.lastIndexOf('.') + 1);
    names.add(simple);
    if (simple.endsWith('Connector')) names.add(simple.slice(0, -'Connector'.length));
  }
  return [...names];
}

/** Finds plugins by any of their names. Built-ins and plugin.path packages are registered the same way. */
export class PluginRegistry {
  private readonly byType = new Map<Plugin['type'], Map<string, Plugin>>();
  private readonly all: Plugin[] = [];

  constructor(plugins: readonly Plugin[] = []) {
    for (const p of plugins) this.register(p);
  }

  register(plugin: Plugin): void {
    let names = this.byType.get(plugin.type);
    if (names === undefined) this.byType.set(plugin.type, (names = new Map()));
    for (const name of namesOf(plugin)) if (!names.has(name)) names.set(name, plugin);
    this.all.push(plugin);
  }

  private find<T extends Plugin['type']>(type: T, name: string): PluginOfType<T> | undefined {
    return this.byType.get(type)?.get(name.trim()) as PluginOfType<T> | undefined;
  }

  connector(name: string): ConnectorPlugin | undefined {
    return this.find('source', name) ?? this.find('sink', name);
  }

  /** `; did you mean 'X'?` when a connector name is close to `name` (a typo), else ''. */
  connectorSuggestion(name: string): string {
    const names = [...(this.byType.get('source')?.keys() ?? []), ...(this.byType.get('sink')?.keys() ?? [])];
    return didYouMeanSuffix(name, names);
  }

  /** Like `connector`, but throws PLUGIN_NOT_FOUND with a did-you-mean and what is available. */
  requireConnector(name: string): ConnectorPlugin {
    const plugin = this.connector(name);
    if (plugin === undefined) {
      const available = this.list(true)
        .map((p) => p.class)
        .join(', ');
      throw new SluiceError('PLUGIN_NOT_FOUND', [
        `${name}${this.connectorSuggestion(name)}; available connectors are: ${available}`,
      ]);
    }
    return plugin;
  }

  /** A plugin of any type by any of its names: connectors first, then transformations, predicates, converters. */
  anyPlugin(name: string): Plugin | undefined {
    return (
      this.connector(name) ??
      this.transformation(name) ??
      this.predicate(name) ??
      this.converter(name) ??
      this.headerConverter(name)
    );
  }

  transformation(name: string): TransformationPlugin | undefined {
    return this.find('transformation', name);
  }

  predicate(name: string): PredicatePlugin | undefined {
    return this.find('predicate', name);
  }

  converter(name: string): ConverterPlugin | undefined {
    return this.find('converter', name);
  }

  headerConverter(name: string): HeaderConverterPlugin | undefined {
    return this.find('header_converter', name);
  }

  /** The class names of every plugin of a type, sorted as Connect sorts its plugin sets. */
  classNames(type: Plugin['type']): string[] {
    return this.all
      .filter((p) => p.type === type)
      .map((p) => p.className)
      .sort((a, b) => a.localeCompare(b));
  }

  list(connectorsOnly: boolean): PluginInfo[] {
    return this.all
      .filter((p) => !connectorsOnly || p.type === 'source' || p.type === 'sink')
      .map((p) => ({ class: p.className, type: p.type, version: p.version }))
      .sort((a, b) => a.class.localeCompare(b.class));
  }
}
