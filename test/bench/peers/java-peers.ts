/**
 * The Java side of `npm run bench -- peers`: fetches Kafka Connect 4.3.1 (runtime, file connectors, JSON
 * converter, MirrorMaker 2) and the Debezium PostgreSQL connector with Maven on the first run, and starts
 * their JVMs the way Kafka's own scripts do.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/child-process.js';

const POM = join(REPO_ROOT, 'test/bench/peers/pom.xml');
/** Beside the services' caches (scripts/services.mjs), so one `rm -rf` of that folder clears all fetched jars. */
const CACHE_DIR = process.env['BENCH_PEERS_JARS'] ?? join(homedir(), '.cache', 'sluice-services', 'peers');
const LIB_DIR = join(CACHE_DIR, 'lib');
const STAMP = join(CACHE_DIR, 'fetched-from.sha256');

export const CONNECT_STANDALONE_MAIN = 'org.apache.kafka.connect.cli.ConnectStandalone';
export const MIRROR_MAKER_MAIN = 'org.apache.kafka.connect.mirror.MirrorMaker';

/**
 * The JVM flags connect-standalone.sh and connect-mirror-maker.sh pass (KAFKA_HEAP_OPTS and
 * kafka-run-class.sh's KAFKA_JVM_PERFORMANCE_OPTS), so the peer runs as an operator would run it.
 */
const JVM_OPTIONS = [
  '-Xms256M',
  '-Xmx2G',
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
  '-Djava.awt.headless=true',
];

function pomFingerprint(): string {
  return createHash('sha256').update(readFileSync(POM)).digest('hex');
}

/** Downloads the peers' jars unless the cache was filled from this very pom; returns the classpath. */
export function ensurePeerJars(): string {
  const fingerprint = pomFingerprint();
  const cached =
    existsSync(STAMP) &&
    readFileSync(STAMP, 'utf8').trim() === fingerprint &&
    existsSync(LIB_DIR) &&
    readdirSync(LIB_DIR).some((f) => f.endsWith('.jar'));
  if (!cached) {
    rmSync(CACHE_DIR, { recursive: true, force: true });
    mkdirSync(LIB_DIR, { recursive: true });
    process.stderr.write(
      `peers: fetching Kafka Connect and Debezium jars into ${LIB_DIR} (first run only)\n`,
    );
    const result = spawnSync(
      'mvn',
      ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${LIB_DIR}`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (result.error !== undefined || result.status !== 0) {
      throw new Error(
        `Maven could not fetch the peers' jars (needs mvn and Maven Central): ${
          result.error?.message ?? `${result.stdout}${result.stderr}`.trim().slice(-3000)
        }`,
      );
    }
    writeFileSync(STAMP, `${fingerprint}\n`);
  }
  return join(LIB_DIR, '*');
}

/** WARN and above to stderr: the level the Sluice side runs at (SLUICE_LOG_LEVEL=WARN), so both log alike. */
function writeLog4jConfig(dir: string): string {
  const file = join(dir, 'log4j2.properties');
  writeFileSync(
    file,
    [
      'status = error',
      'appender.stderr.type = Console',
      'appender.stderr.name = STDERR',
      'appender.stderr.target = SYSTEM_ERR',
      'appender.stderr.layout.type = PatternLayout',
      'appender.stderr.layout.pattern = [%d] %p %m (%c)%n',
      'rootLogger.level = WARN',
      'rootLogger.appenderRef.stderr.ref = STDERR',
      '',
    ].join('\n'),
  );
  return file;
}

function javaCommand(): string {
  const home = process.env['JAVA_HOME'];
  return home !== undefined && home !== '' ? join(home, 'bin', 'java') : 'java';
}

/** Starts `java -cp <jars> <main> <args>` directly (no shell), so the child's pid is the JVM's. */
export function spawnJava(
  classpath: string,
  mainClass: string,
  args: readonly string[],
  dir: string,
): ChildProcess {
  return spawn(
    javaCommand(),
    [
      ...JVM_OPTIONS,
      `-Dlog4j2.configurationFile=${writeLog4jConfig(dir)}`,
      '-cp',
      classpath,
      mainClass,
      ...args,
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
