import { resolve } from 'node:path';
import { placeholdersIn } from '../config/config-providers.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { TenantLimits } from './tenant-directory.js';

/** A connector a tenant already has, as its limits count it. */
export interface ExistingConnector {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

/** Keys naming one topic a connector writes or reads (sinks, sources, DLQ, per-connector offsets). */
const SINGLE_TOPIC_KEYS = [
  'topic',
  'kafka.topic',
  'errors.deadletterqueue.topic.name',
  'offsets.storage.topic',
];
/** Keys whose value starts the names of the topics written (`<value>.<schema>.<table>`, `<alias>.<topic>`). */
const TOPIC_PREFIX_KEYS = ['topic.prefix', 'source.cluster.alias'];

function refuse(tenant: string, problem: string): never {
  throw new SluiceError('TENANT_LIMIT', [tenant, problem]);
}

/** `a.b.FooConnector`, `FooConnector` and Connect's alias `Foo` all name the same plugin. */
function simpleName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1).replace(/Connector$/, '');
}

/** The installed plugin's class name for any name it answers to (aliases included), when known. */
export type PluginClassOf = (name: string) => string | undefined;

function pluginAllowed(limits: TenantLimits, className: string, classOf: PluginClassOf): boolean {
  if (limits.plugins === null) return true;
  const canonical = (name: string): string => simpleName(classOf(name) ?? name);
  return limits.plugins.some((p) => canonical(p) === canonical(className));
}

function topicAllowed(limits: TenantLimits, topic: string): boolean {
  return limits.topicPrefixes.some((prefix) => topic.startsWith(prefix));
}

/**
 * The literal text every match of `regex` starts with (up to its first metacharacter), so that a
 * `topics.regex` can be held to a prefix without deciding regular-language inclusion.
 */
function literalPrefixOf(regex: string): string {
  let literal = '';
  let i = regex.startsWith('^') ? 1 : 0;
  for (; i < regex.length; i++) {
    const c = regex[i]!;
    if (c === '\\' && i + 1 < regex.length && /[.\-_/]/.test(regex[i + 1]!)) {
      literal += regex[++i];
    } else if (/[A-Za-z0-9_-]/.test(c)) literal += c;
    else break;
  }
  // A quantifier after the last literal character makes that character optional.
  return /[?*{]/.test(regex[i] ?? '') ? literal.slice(0, -1) : literal;
}

function checkTopics(tenant: string, limits: TenantLimits, config: Readonly<Record<string, string>>): void {
  const check = (key: string, topic: string): void => {
    if (!topicAllowed(limits, topic))
      refuse(tenant, `${key}=${topic} is outside its topics (${limits.topicPrefixes.join(', ')})`);
  };
  for (const topic of (config['topics'] ?? '').split(',').map((t) => t.trim())) {
    if (topic !== '') check('topics', topic);
  }
  const regex = config['topics.regex'];
  if (regex !== undefined && regex.trim() !== '') check('topics.regex', literalPrefixOf(regex.trim()));
  for (const key of SINGLE_TOPIC_KEYS) {
    const topic = config[key]?.trim();
    if (topic !== undefined && topic !== '') check(key, topic);
  }
  for (const key of TOPIC_PREFIX_KEYS) {
    const prefix = config[key]?.trim();
    if (prefix !== undefined && prefix !== '') check(key, `${prefix}.`);
  }
  // A router can send records to any topic its pattern builds; tenants do without them.
  for (const [key, value] of Object.entries(config)) {
    if (/^transforms\.[^.]+\.type$/.test(key) && /Router$/.test(value.trim()))
      refuse(tenant, `${key}=${value} may rename topics beyond its topics`);
  }
}

function checkPlaceholders(
  tenant: string,
  limits: TenantLimits,
  config: Readonly<Record<string, string>>,
): void {
  for (const [key, value] of Object.entries(config)) {
    for (const placeholder of placeholdersIn(value)) {
      if (!limits.configProviders.includes(placeholder.provider))
        refuse(tenant, `${key} uses the config provider '${placeholder.provider}', which it may not use`);
      const path = placeholder.path;
      if (path !== '' && !limits.configPaths.some((allowed) => resolve('/', path).startsWith(allowed)))
        refuse(tenant, `${key} reads ${path}, outside its config paths`);
    }
  }
}

function tasksOf(config: Readonly<Record<string, string>>): number {
  const tasks = Number(config['tasks.max'] ?? '1');
  return Number.isFinite(tasks) && tasks > 0 ? tasks : 1;
}

/**
 * Whether a tenant may run `config` as connector `name`, given the connectors it already has (the one
 * being replaced is not counted twice). Throws TENANT_LIMIT naming what is not allowed.
 */
export function checkTenantConnector(
  tenant: string,
  limits: TenantLimits,
  name: string,
  config: Readonly<Record<string, string>>,
  existing: readonly ExistingConnector[],
  classOf: PluginClassOf = () => undefined,
): void {
  const connectorClass = config['connector.class']?.trim() ?? '';
  if (!pluginAllowed(limits, connectorClass, classOf))
    refuse(tenant, `the plugin ${connectorClass} is not among its plugins`);
  // Placeholders first: a value that is one stands for something else than it reads as.
  checkPlaceholders(tenant, limits, config);
  checkTopics(tenant, limits, config);
  const others = existing.filter((c) => c.name !== name);
  if (limits.maxConnectors !== null && others.length + 1 > limits.maxConnectors)
    refuse(tenant, `it may have at most ${limits.maxConnectors} connector(s)`);
  const tasks = others.reduce((sum, c) => sum + tasksOf(c.config), tasksOf(config));
  if (limits.maxTasks !== null && tasks > limits.maxTasks)
    refuse(
      tenant,
      `it may have at most ${limits.maxTasks} task(s) in all; this config brings it to ${tasks}`,
    );
}
