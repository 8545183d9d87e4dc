// Kafka brokers in KRaft combined mode (broker + controller in one JVM), one per cluster.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { hostPort } from './endpoints.mjs';
import { markerOption, runCommand } from './processes.mjs';
import { classpath, javaCommand, renderTemplate } from './programs.mjs';
import { SERVICES_SOURCE_DIR, serviceStateDir } from './paths.mjs';

const { Kafka, logLevel } = kafkajs;

// A Kafka cluster id is 16 random bytes in unpadded base64url; Kafka rejects ids starting with '-'.
function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** A real request: the admin client's cluster description. */
async function describeCluster(bootstrap) {
  const kafka = new Kafka({
    clientId: 'sluice-services-probe',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1500,
    requestTimeout: 4000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** @param {{ name: string, bootstrap: string }} options; the controller listens on the next port. */
export function kafkaService({ name, bootstrap }) {
  const { host, port } = hostPort(bootstrap, 9092);
  const controllerPort = port + 1;
  const dir = serviceStateDir(name);
  const dataDir = join(dir, 'data');
  const propertiesPath = join(dir, 'server.properties');
  return {
    name,
    address: `${host}:${port}`,
    host,
    ports: [
      { port, what: 'broker listener' },
      { port: controllerPort, what: 'controller listener' },
    ],
    jarModule: 'kafka',
    timeoutMs: 90_000,
    stopGraceMs: 30_000,
    probe: () => describeCluster(`${host}:${port}`),
    async prepare() {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(
        propertiesPath,
        renderTemplate('kafka/server.properties.template', { host, port, controllerPort, dataDir }),
      );
      if (existsSync(join(dataDir, 'meta.properties'))) return;
      // First start: KRaft needs formatted storage; --standalone makes this node the whole quorum.
      const format = await runCommand(javaCommand(), [
        '-Xmx256m',
        '-cp',
        classpath('kafka'),
        'kafka.tools.StorageTool',
        'format',
        '-t',
        newClusterId(),
        '-c',
        propertiesPath,
        '--standalone',
      ]);
      if (format.status !== 0)
        throw new Error(`formatting the ${name} storage failed:\n${format.output.slice(-2000)}`);
    },
    command() {
      return {
        command: javaCommand(),
        args: [
          markerOption(name),
          '-Xms256m',
          '-Xmx512m',
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-XX:+ExitOnOutOfMemoryError',
          '-Djava.awt.headless=true',
          `-Dlog4j2.configurationFile=${join(SERVICES_SOURCE_DIR, 'kafka/log4j2.properties')}`,
          `-Dkafka.logs.dir=${dir}`,
          '-cp',
          classpath('kafka'),
          'kafka.Kafka',
          propertiesPath,
        ],
      };
    },
  };
}
