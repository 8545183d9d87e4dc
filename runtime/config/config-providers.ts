import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, normalize, relative, sep } from 'node:path';
import { SluiceError } from '../errors/sluice-error.js';
import { parseProperties } from './properties-file.js';
import { subConfig } from './sub-config.js';

/**
 * Connect's config providers: `${provider:path:key}` and `${provider:key}` placeholders in connector
 * configs are resolved only when a connector or task starts, so stored configs (and the REST API) keep
 * the placeholder and never the secret.
 *
 * Only the providers a worker declares in `config.providers` are active, as in Connect: a placeholder
 * naming any other provider is not a placeholder at all and stays as literal text (Connect leaves
 * unresolved variables untouched). With REST unauthenticated, an always-on `env` or `file` provider
 * would let any local client read the worker's environment and files (e.g. through a topic name).
 * `file` and `directory` read only under `param.allowed.paths` when it is set (KIP-993), and refuse a
 * path outside it. Sluice shortcut: a declared name that is itself a built-in alias (`env`, `file`,
 * `directory`) needs no `.class`.
 *
 * Deviation: Connect leaves a placeholder of a declared provider that finds no value untouched; Sluice
 * refuses to start with CONFIG_PROVIDER_FAILED instead, because a connector that logs in with the literal text
 * `${env:DB_PASSWORD}` fails later with a far less helpful error.
 */

/** Same pattern as Connect's ConfigTransformer.DEFAULT_PATTERN: provider, optional path, key. */
const PLACEHOLDER = /\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}/g;

/** One provider: given a path and keys, returns the values it found (missing keys are simply absent). */
export interface ConfigProvider {
  get(path: string, keys: ReadonlySet<string>): Promise<Record<string, string>>;
}

type ProviderFactory = (params: Readonly<Record<string, string>>) => ConfigProvider;

/**
 * `allowed.paths`: absolute paths a file-reading provider may read under; unset means anywhere (as in
 * Connect). Returns the normalized path, or throws naming the setting for a path outside them.
 */
function allowedPathsFrom(params: Readonly<Record<string, string>>): (path: string) => string {
  const setting = params['allowed.paths'];
  if (setting === undefined || setting === '') return (path) => path;
  const roots = setting.split(',').map((p) => normalize(p.trim()));
  for (const root of roots) {
    if (!isAbsolute(root))
      throw new SluiceError('CONFIG_INVALID_VALUE', [
        setting,
        'allowed.paths',
        `Path ${root} is not absolute`,
      ]);
  }
  return (path) => {
    const candidate = normalize(path);
    const inside = roots.some((root) => {
      const rel = relative(root, candidate);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
    });
    if (!inside) throw new Error(`Path '${path}' is not under this provider's allowed.paths (${setting})`);
    return candidate;
  };
}

function envProvider(params: Readonly<Record<string, string>>): ConfigProvider {
  const pattern = params['allowlist.pattern'];
  const allowed = pattern === undefined ? null : new RegExp(`^(?:${pattern})$`);
  return {
    async get(path, keys) {
      if (path !== '')
        throw new Error(`Path is not supported for EnvVarConfigProvider, invalid value '${path}'`);
      const out: Record<string, string> = {};
      for (const key of keys) {
        const value = process.env[key];
        if (value !== undefined && (allowed === null || allowed.test(key))) out[key] = value;
      }
      return out;
    },
  };
}

function fileProvider(params: Readonly<Record<string, string>>): ConfigProvider {
  const allow = allowedPathsFrom(params);
  return {
    async get(path, keys) {
      if (path === '') return {};
      const file = allow(path);
      let props: Record<string, string>;
      try {
        props = parseProperties(await readFile(file, 'utf8'));
      } catch {
        throw new Error(`Could not read properties from file ${path}`);
      }
      const out: Record<string, string> = {};
      for (const key of keys) if (Object.hasOwn(props, key)) out[key] = props[key]!;
      return out;
    },
  };
}

function directoryProvider(params: Readonly<Record<string, string>>): ConfigProvider {
  const allow = allowedPathsFrom(params);
  return {
    async get(path, keys) {
      if (path === '') return {};
      const dir = allow(path);
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return {};
      }
      const out: Record<string, string> = {};
      for (const name of names) {
        // Only plain files directly in the directory, named by the key: a key cannot climb out with `../`.
        if (!keys.has(name)) continue;
        const file = `${dir}${sep}${name}`;
        if (!(await stat(file)).isFile()) continue;
        out[name] = await readFile(file, 'utf8');
      }
      return out;
    },
  };
}

const BUILT_IN: Readonly<Record<string, { readonly fqcn: string; readonly factory: ProviderFactory }>> = {
  env: { fqcn: 'org.apache.kafka.common.config.provider.EnvVarConfigProvider', factory: envProvider },
  file: { fqcn: 'org.apache.kafka.common.config.provider.FileConfigProvider', factory: fileProvider },
  directory: {
    fqcn: 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
    factory: directoryProvider,
  },
};

/** The built-in provider a `config.providers.<name>.class` value names (FQCN, simple class name or alias), or null. */
export function providerKindOf(className: string): string | null {
  const wanted = className.trim().toLowerCase();
  for (const [alias, { fqcn }] of Object.entries(BUILT_IN)) {
    const simple = fqcn.slice(fqcn.lastIndexOf('.') + 1).toLowerCase();
    if (
      wanted === fqcn.toLowerCase() ||
      wanted === simple ||
      wanted === simple.replace(/configprovider$/, '') ||
      wanted === alias
    )
      return alias;
  }
  return null;
}

function listOf(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

/** Builds the providers a worker config declares in `config.providers`, and no others. */
export function configProvidersFrom(
  workerRaw: Readonly<Record<string, string>>,
): Map<string, ConfigProvider> {
  const providers = new Map<string, ConfigProvider>();
  for (const name of listOf(workerRaw['config.providers'])) {
    const classKey = `config.providers.${name}.class`;
    const className = workerRaw[classKey] ?? (Object.hasOwn(BUILT_IN, name) ? name : undefined);
    if (className === undefined) throw new SluiceError('CONFIG_MISSING', [classKey]);
    const kind = providerKindOf(className);
    if (kind === null)
      throw new SluiceError('CONFIG_INVALID_VALUE', [
        className,
        classKey,
        'not a known config provider (use FileConfigProvider, DirectoryConfigProvider or EnvVarConfigProvider)',
      ]);
    providers.set(name, BUILT_IN[kind]!.factory(subConfig(workerRaw, `config.providers.${name}.param.`)));
  }
  return providers;
}

export interface Placeholder {
  readonly text: string;
  readonly provider: string;
  readonly path: string;
  readonly key: string;
}

export function placeholdersIn(value: string): Placeholder[] {
  return [...value.matchAll(PLACEHOLDER)].map((m) => ({
    text: m[0],
    provider: m[1]!,
    path: m[3] ?? '',
    key: m[4]!,
  }));
}

/** True when a config value holds at least one `${provider:…}` placeholder. */
export function hasPlaceholder(value: string): boolean {
  return placeholdersIn(value).length > 0;
}

export interface ConfigTransformer {
  /** Returns a copy of `config` with every placeholder replaced; the input is left untouched. */
  transform(config: Readonly<Record<string, string>>): Promise<Record<string, string>>;
}

/**
 * Creates the transformer the worker applies to connector and task configs right before starting them.
 * Placeholders of undeclared providers are left as they are. Each provider is asked once per path with every key wanted there (as Connect batches lookups).
 * Failures throw CONFIG_PROVIDER_FAILED naming the config key and placeholder, never a resolved value.
 */
export function createConfigTransformer(workerRaw: Readonly<Record<string, string>>): ConfigTransformer {
  const providers = configProvidersFrom(workerRaw);
  return {
    async transform(config) {
      const wanted = new Map<string, Map<string, Set<string>>>();
      const firstUse = new Map<string, { configKey: string; placeholder: string }>();
      for (const [configKey, value] of Object.entries(config)) {
        for (const p of placeholdersIn(value)) {
          if (!providers.has(p.provider)) continue;
          const byPath = wanted.get(p.provider) ?? new Map<string, Set<string>>();
          wanted.set(p.provider, byPath);
          const keys = byPath.get(p.path) ?? new Set<string>();
          byPath.set(p.path, keys);
          keys.add(p.key);
          const id = `${p.provider}\u0000${p.path}`;
          if (!firstUse.has(id)) firstUse.set(id, { configKey, placeholder: p.text });
        }
      }
      const found = new Map<string, Record<string, string>>();
      for (const [provider, byPath] of wanted) {
        for (const [path, keys] of byPath) {
          const id = `${provider}\u0000${path}`;
          try {
            found.set(id, await providers.get(provider)!.get(path, keys));
          } catch (error) {
            const use = firstUse.get(id)!;
            throw new SluiceError(
              'CONFIG_PROVIDER_FAILED',
              [provider, `${use.placeholder} in configuration ${use.configKey}`, (error as Error).message],
              { cause: error },
            );
          }
        }
      }
      const out: Record<string, string> = {};
      for (const [configKey, value] of Object.entries(config)) {
        out[configKey] = value.replace(
          PLACEHOLDER,
          (
            text: string,
            provider: string,
            _withColon: string | undefined,
            path: string | undefined,
            key: string,
          ) => {
            if (!providers.has(provider)) return text;
            const data = found.get(`${provider}\u0000${path ?? ''}`);
            if (data === undefined || !Object.hasOwn(data, key)) {
              throw new SluiceError('CONFIG_PROVIDER_FAILED', [
                provider,
                `${text} in configuration ${configKey}`,
                `key '${key}' was not found${path ? ` at path '${path}'` : ''}`,
              ]);
            }
            return data[key]!;
          },
        );
      }
      return out;
    },
  };
}
