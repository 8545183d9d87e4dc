// PostgreSQL is installed and run by the machine; we only make sure it answers and allows
// logical replication (CDC tests create slots with pgoutput), restarting it when that changed.
import { URL } from 'node:url';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PG_URL, isLocalHost } from './endpoints.mjs';
import { runCommand } from './processes.mjs';

const REQUIRED = { wal_level: 'logical', max_replication_slots: 20, max_wal_senders: 20 };

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {}); // a server restart must not crash the script
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const showSetting = async (client, name) => (await client.query(`SHOW ${name}`)).rows[0][name];

async function createDatabaseIfMissing(url) {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  await withClient(admin.toString(), (client) =>
    client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`),
  );
}

/** A real request: SHOW wal_level; creates the test database on first use. */
async function walLevel(url) {
  try {
    return await withClient(url, (client) => showSetting(client, 'wal_level'));
  } catch (error) {
    if (error.code !== '3D000') throw error; // 3D000: database does not exist
    await createDatabaseIfMissing(url);
    return withClient(url, (client) => showSetting(client, 'wal_level'));
  }
}

/** "<version> <cluster>" of the Debian-style cluster to start or restart. */
function clusterId(clusterName) {
  if (clusterName && /^\d+\/\S+$/.test(clusterName)) return clusterName.split('/');
  const versions = existsSync('/etc/postgresql')
    ? readdirSync('/etc/postgresql')
        .filter((v) => existsSync(join('/etc/postgresql', v, 'main')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error('no cluster under /etc/postgresql; start PostgreSQL yourself');
  return [versions[0], 'main'];
}

async function pgCtlCluster(action, clusterName) {
  const [version, cluster] = clusterId(clusterName);
  const result = await runCommand('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, action]);
  if (result.missing) throw new Error(`pg_ctlcluster was not found; ${action} PostgreSQL yourself`);
  if (result.status !== 0)
    throw new Error(`pg_ctlcluster ${version} ${cluster} ${action} failed: ${result.output}`);
}

export function postgresService({ url = PG_URL } = {}) {
  const parsed = new URL(url);
  const host = parsed.hostname;
  const port = Number(parsed.port || 5432);
  return {
    name: 'postgres',
    address: `${host}:${port}${parsed.pathname}`,
    host,
    ports: [{ port, what: 'PostgreSQL port' }],
    timeoutMs: 60_000,
    async probe() {
      return `wal_level=${await walLevel(url)}`;
    },
    /** Starts the machine's cluster when it is down (never stopped by `down`). */
    async start() {
      if (!isLocalHost(host))
        throw new Error(`PostgreSQL at ${host}:${port} is not on this machine; start it there`);
      await pgCtlCluster('start');
    },
    /** Enables logical replication if needed; returns what it did, or undefined. */
    async configure() {
      const { missing, clusterName } = await withClient(url, async (client) => {
        const wrong = [];
        if ((await showSetting(client, 'wal_level')) !== REQUIRED.wal_level)
          wrong.push(`wal_level = ${REQUIRED.wal_level}`);
        for (const name of ['max_replication_slots', 'max_wal_senders']) {
          if (Number(await showSetting(client, name)) < REQUIRED[name])
            wrong.push(`${name} = ${REQUIRED[name]}`);
        }
        for (const assignment of wrong) await client.query(`ALTER SYSTEM SET ${assignment}`);
        return { missing: wrong, clusterName: await showSetting(client, 'cluster_name') };
      });
      if (missing.length === 0) return undefined;
      if (!isLocalHost(host))
        throw new Error(`PostgreSQL at ${host}:${port} needs a restart for: ${missing.join(', ')}`);
      await pgCtlCluster('restart', clusterName);
      return `set ${missing.join(', ')} and restarted the cluster`;
    },
    async pid() {
      const dataDirectory = await withClient(url, (client) => showSetting(client, 'data_directory'));
      try {
        return Number(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {
        return undefined; // not readable as this user
      }
    },
  };
}
