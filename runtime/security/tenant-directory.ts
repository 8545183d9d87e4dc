import { SluiceError } from '../errors/sluice-error.js';
import { ROLES, type Principal, type Role } from './principal.js';

/** What one tenant may run; every list is an allow list. */
export interface TenantLimits {
  /** Connector classes (full name or simple name); null: every installed plugin. */
  readonly plugins: readonly string[] | null;
  /** Topic name prefixes its connectors may read, write, mirror into and use as DLQ; default `<tenant>.`. */
  readonly topicPrefixes: readonly string[];
  /** Config providers its configs may use in `${provider:path:key}`; none by default. */
  readonly configProviders: readonly string[];
  /** Path prefixes those placeholders may name; none by default. */
  readonly configPaths: readonly string[];
  readonly maxConnectors: number | null;
  readonly maxTasks: number | null;
  /**
   * Bytes per second the tenant's source tasks on one worker may produce, shared by all of them (keys,
   * values and headers as sent); null: no quota. Also set as the Kafka client quota of each task's client id.
   */
  readonly produceBytesPerSecond: number | null;
  /** Bytes per second the tenant's sink tasks on one worker may consume, likewise; null: no quota. */
  readonly consumeBytesPerSecond: number | null;
}

/** Principals and tenants, as the tenants file (`tenants.file`) declares them. */
export interface TenantDirectory {
  readonly principals: ReadonlyMap<string, Principal>;
  readonly tenants: ReadonlyMap<string, TenantLimits>;
}

const TENANT_NAME = /^[A-Za-z0-9_-]+$/;

function fail(path: string, where: string, problem: string): never {
  throw new SluiceError('CONFIG_FILE_MALFORMED', [path, where, problem]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, path: string, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    fail(path, where, 'must be a list of strings');
  return value as string[];
}

function limit(value: unknown, path: string, where: string): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || (value as number) < 0) fail(path, where, 'must be a whole number ≥ 0');
  return value as number;
}

function byteRate(value: unknown, path: string, where: string): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || (value as number) <= 0) fail(path, where, 'must be a whole number > 0');
  return value as number;
}

function tenantLimits(name: string, value: unknown, path: string): TenantLimits {
  const where = `tenants.${name}`;
  if (!TENANT_NAME.test(name)) fail(path, where, 'a tenant name is letters, digits, _ and - only');
  if (!isObject(value)) fail(path, where, 'must be an object');
  return {
    plugins: stringList(value['plugins'], path, `${where}.plugins`) ?? null,
    topicPrefixes: stringList(value['topicPrefixes'], path, `${where}.topicPrefixes`) ?? [`${name}.`],
    configProviders: stringList(value['configProviders'], path, `${where}.configProviders`) ?? [],
    configPaths: stringList(value['configPaths'], path, `${where}.configPaths`) ?? [],
    maxConnectors: limit(value['maxConnectors'], path, `${where}.maxConnectors`),
    maxTasks: limit(value['maxTasks'], path, `${where}.maxTasks`),
    produceBytesPerSecond: byteRate(value['produceBytesPerSecond'], path, `${where}.produceBytesPerSecond`),
    consumeBytesPerSecond: byteRate(value['consumeBytesPerSecond'], path, `${where}.consumeBytesPerSecond`),
  };
}

function principalOf(
  name: string,
  value: unknown,
  tenants: ReadonlyMap<string, TenantLimits>,
  path: string,
): Principal {
  const where = `principals.${name}`;
  if (!isObject(value)) fail(path, where, 'must be an object with role (and tenant)');
  const role = value['role'];
  if (typeof role !== 'string' || !ROLES.includes(role as Role))
    fail(path, `${where}.role`, `must be one of ${ROLES.join(', ')}`);
  const tenant = value['tenant'] ?? null;
  if (tenant !== null && (typeof tenant !== 'string' || !tenants.has(tenant)))
    fail(path, `${where}.tenant`, 'must name a tenant declared under tenants');
  if (tenant === null && role !== 'admin')
    fail(path, `${where}.tenant`, 'an operator or viewer belongs to a tenant');
  return { name, role: role as Role, tenant: tenant as string | null };
}

/** Parses the tenants file (JSON); errors name the file and the entry. */
export function parseTenantDirectory(text: string, path: string): TenantDirectory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(path, '1', `not JSON: ${(error as Error).message}`);
  }
  if (!isObject(json)) fail(path, '1', 'must be an object with principals and tenants');
  const tenantsJson = json['tenants'] ?? {};
  const principalsJson = json['principals'] ?? {};
  if (!isObject(tenantsJson)) fail(path, 'tenants', 'must be an object');
  if (!isObject(principalsJson)) fail(path, 'principals', 'must be an object');
  const tenants = new Map(
    Object.entries(tenantsJson).map(([name, value]) => [name, tenantLimits(name, value, path)] as const),
  );
  const principals = new Map(
    Object.entries(principalsJson).map(
      ([name, value]) => [name, principalOf(name, value, tenants, path)] as const,
    ),
  );
  return { principals, tenants };
}
