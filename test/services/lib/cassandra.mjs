// A single Cassandra node, started straight from cassandra-all's classpath.
import process from 'node:process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import { CASSANDRA_LOCAL_DC, hostPort } from './endpoints.mjs';
import { SERVICES_SOURCE_DIR, serviceStateDir } from './paths.mjs';
import { markerOption } from './processes.mjs';
import { classpath, jarNamed, javaCommand, renderTemplate } from './programs.mjs';

const STORAGE_PORT = Number(process.env.CASSANDRA_STORAGE_PORT ?? 7000);

/** A real request: connect with the driver and read the server version. */
async function releaseVersion(contactPoint) {
  const client = new cassandra.Client({
    contactPoints: [contactPoint],
    localDataCenter: CASSANDRA_LOCAL_DC,
    socketOptions: { connectTimeout: 2000, readTimeout: 5000 },
  });
  try {
    await client.connect();
    const result = await client.execute('SELECT release_version FROM system.local');
    return `Cassandra ${result.first().get('release_version')}`;
  } catch (error) {
    // NoHostAvailableError hides the cause in innerErrors; surface it.
    const inner = error.innerErrors ? Object.values(error.innerErrors).map((e) => e.message) : [];
    throw new Error(inner.length > 0 ? inner.join('; ') : error.message);
  } finally {
    await client.shutdown().catch(() => {});
  }
}

function jvm17Options() {
  return readFileSync(join(SERVICES_SOURCE_DIR, 'cassandra/jvm17.options'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** @param {{ contactPoints: string }} options */
export function cassandraService({ contactPoints }) {
  const name = 'cassandra';
  const { host, port } = hostPort(contactPoints, 9042);
  const dir = serviceStateDir(name);
  const dataDir = join(dir, 'data');
  const yamlPath = join(dir, 'cassandra.yaml');
  return {
    name,
    address: `${host}:${port}`,
    host,
    ports: [
      { port, what: 'native (CQL) port' },
      { port: STORAGE_PORT, what: 'storage (gossip) port' },
    ],
    jarModule: 'cassandra',
    timeoutMs: 180_000,
    stopGraceMs: 30_000,
    probe: () => releaseVersion(`${host}:${port}`),
    async prepare() {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(
        yamlPath,
        renderTemplate('cassandra/cassandra.yaml.template', {
          host,
          port,
          storagePort: STORAGE_PORT,
          dataDir,
        }),
      );
    },
    command() {
      return {
        command: javaCommand(),
        args: [
          markerOption(name),
          '-Xms1g',
          '-Xmx1g',
          '-XX:+UseG1GC',
          '-XX:+ParallelRefProcEnabled',
          '-XX:MaxTenuringThreshold=1',
          '-XX:+ExitOnOutOfMemoryError',
          '-Djava.awt.headless=true',
          `-javaagent:${jarNamed('cassandra', 'jamm-')}`,
          ...jvm17Options(),
          `-Dcassandra.config=file://${yamlPath}`,
          `-Dcassandra.storagedir=${dataDir}`,
          `-Dcassandra.logdir=${dir}`,
          `-Dlogback.configurationFile=${join(SERVICES_SOURCE_DIR, 'cassandra/logback.xml')}`,
          // Keep stdout open (our log file) instead of closing it after startup.
          '-Dcassandra-foreground=yes',
          // A lone node: no peers to wait for.
          '-Dcassandra.skip_wait_for_gossip_to_settle=0',
          '-Dcassandra.ring_delay_ms=100',
          '-cp',
          classpath('cassandra'),
          'org.apache.cassandra.service.CassandraDaemon',
        ],
      };
    },
  };
}
