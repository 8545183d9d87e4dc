// Kafka brokers in KRaft combined mode (broker + controller in one JVM), one per cluster.
import { randomBytes } from 'node:crypto';
import { setTimeout } from 'node:timers';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { hostPort } from './endpoints.mjs';
import { brokerTlsFiles, ensureKafkaTls } from './kafka-tls.mjs';
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

/** A real request: the admin client's cluster description (`security`: kafkajs ssl/sasl options). */
async function describeCluster(bootstrap, security = {}) {
  const kafka = new Kafka({
    ...security,
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

/**
 * The controller port: port + 7 (9099 for 9092, 9199 for 9192), clear of the secured listeners on
 * port + 1 and port + 2.
 */
const CONTROLLER_PORT_OFFSET = 7;
const SCRAM_MECHANISM = 'SCRAM-SHA-512';

/** A kafkajs probe failure that says the broker runs, but without the listeners this checkout wants. */
class OutdatedBrokerError extends Error {
  outdated = true;
}

/**
 * The secured listener is not there or speaks no TLS with our CA (kafkajs says "Connection error" for
 * a refused port, a plaintext port and an unknown certificate alike): a restart with this checkout's
 * configuration and certificates fixes each. A refused login does not count: that is a real failure.
 */
const connectionFailed = (error) => /ECONNREFUSED|Connection error/i.test(String(error?.message ?? error));

/**
 * @param {{ name: string, bootstrap: string,
 *   secured?: { saslBootstrap: string, sslBootstrap: string, user: string, password: string,
 *               caPem: string, clientCertPem: string, clientKeyPem: string } }} options
 * `secured` adds a SASL_SSL (SCRAM-SHA-512) and an SSL listener with required client certificates.
 */
export function kafkaService({ name, bootstrap, secured }) {
  const { host, port } = hostPort(bootstrap, 9092);
  const controllerPort = port + CONTROLLER_PORT_OFFSET;
  const sasl = secured ? hostPort(secured.saslBootstrap, 9093) : undefined;
  const ssl = secured ? hostPort(secured.sslBootstrap, 9094) : undefined;
  const dir = serviceStateDir(name);
  const dataDir = join(dir, 'data');
  const propertiesPath = join(dir, 'server.properties');
  // Written once the SCRAM credential exists (at format time, or added to an older data directory).
  const scramMarker = join(dataDir, 'sluice-scram-credential');
  const scramConfig = secured ? `${SCRAM_MECHANISM}=[name=${secured.user},password=${secured.password}]` : '';

  const listeners = [`PLAINTEXT://${host}:${port}`];
  if (sasl) listeners.push(`SASL_SSL://${sasl.host}:${sasl.port}`, `SSL://${ssl.host}:${ssl.port}`);

  const securedProbes = () => {
    const ca = [readFileSync(secured.caPem, 'utf8')];
    return [
      {
        what: 'SASL_SSL',
        address: `${sasl.host}:${sasl.port}`,
        options: {
          ssl: { ca },
          sasl: { mechanism: 'scram-sha-512', username: secured.user, password: secured.password },
        },
      },
      {
        what: 'SSL (client certificate)',
        address: `${ssl.host}:${ssl.port}`,
        options: {
          ssl: {
            ca,
            cert: readFileSync(secured.clientCertPem, 'utf8'),
            key: readFileSync(secured.clientKeyPem, 'utf8'),
          },
        },
      },
    ];
  };

  async function probe() {
    const plain = await describeCluster(`${host}:${port}`);
    if (!secured) return plain;
    if (!existsSync(secured.caPem))
      throw new OutdatedBrokerError(`answers in plaintext, but the CA file ${secured.caPem} does not exist`);
    for (const listener of securedProbes()) {
      try {
        await describeCluster(listener.address, listener.options);
      } catch (error) {
        const message = `answers in plaintext, but not on its ${listener.what} listener ${listener.address}: ${error.message}`;
        throw connectionFailed(error) ? new OutdatedBrokerError(message) : new Error(message);
      }
    }
    return `${plain}; SASL_SSL on ${sasl.port}, SSL on ${ssl.port}`;
  }

  /** Older data directories have no SCRAM user: add it through the plaintext listener. */
  async function addScramCredential(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await describeCluster(`${host}:${port}`);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const result = await runCommand(javaCommand(), [
      '-Xmx128m',
      '-cp',
      classpath('kafka'),
      'kafka.admin.ConfigCommand',
      '--bootstrap-server',
      `${host}:${port}`,
      '--alter',
      '--add-config',
      `${SCRAM_MECHANISM}=[password=${secured.password}]`,
      '--entity-type',
      'users',
      '--entity-name',
      secured.user,
    ]);
    if (result.status !== 0)
      throw new Error(`adding the SCRAM user ${secured.user} failed:\n${result.output.slice(-1500)}`);
    writeFileSync(scramMarker, `${SCRAM_MECHANISM} ${secured.user}\n`);
  }

  const ports = [
    { port, what: 'broker listener' },
    { port: controllerPort, what: 'controller listener' },
  ];
  if (sasl)
    ports.push({ port: sasl.port, what: 'SASL_SSL listener' }, { port: ssl.port, what: 'SSL listener' });

  return {
    name,
    address: `${host}:${port}`,
    host,
    ports,
    jarModule: 'kafka',
    timeoutMs: 90_000,
    stopGraceMs: 30_000,
    probe,
    async prepare() {
      mkdirSync(dataDir, { recursive: true });
      let security = '';
      if (secured) {
        await ensureKafkaTls();
        security = renderTemplate('kafka/secured-listeners.properties.template', brokerTlsFiles());
      }
      writeFileSync(
        propertiesPath,
        renderTemplate('kafka/server.properties.template', {
          host,
          controllerPort,
          dataDir,
          listeners: listeners.join(','),
          security,
        }),
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
        ...(secured ? ['--add-scram', scramConfig] : []),
      ]);
      if (format.status !== 0)
        throw new Error(`formatting the ${name} storage failed:\n${format.output.slice(-2000)}`);
      if (secured) writeFileSync(scramMarker, `${SCRAM_MECHANISM} ${secured.user}\n`);
    },
    async afterStart() {
      if (secured && !existsSync(scramMarker)) await addScramCredential(this.timeoutMs);
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
