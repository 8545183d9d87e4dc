// The external programs the JVM services need, and the jar cache Maven fills.
import process from 'node:process';
import console from 'node:console';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JAR_CACHE_DIR, SERVICES_SOURCE_DIR, jarDir } from './paths.mjs';

const MIN_JAVA = 17;

export function javaCommand() {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Fails with a message naming the program when java is missing or too old. */
export function requireJava() {
  const java = javaCommand();
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      `"${java}" was not found: install a Java ${MIN_JAVA}+ runtime (Kafka, Cassandra and S3Proxy run on it) or set JAVA_HOME`,
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= MIN_JAVA)) {
    throw new Error(
      `"${java}" is Java ${match ? match[0] : 'of unknown version'}; Kafka 4 and Cassandra 5 need Java ${MIN_JAVA}+`,
    );
  }
}

function requireMaven() {
  const result = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      '"mvn" was not found: install Apache Maven 3.6+ (it downloads the service jars from Maven Central into test/services/target)',
    );
  }
}

// The cache is valid for the exact poms that filled it; a version bump refetches.
function pomFingerprint(module) {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(SERVICES_SOURCE_DIR, 'pom.xml')));
  hash.update(readFileSync(join(SERVICES_SOURCE_DIR, module, 'pom.xml')));
  return hash.digest('hex');
}

const stampFile = (module) => join(JAR_CACHE_DIR, module, 'fetched-from.sha256');

function isCached(module) {
  const dir = jarDir(module);
  return (
    existsSync(stampFile(module)) &&
    readFileSync(stampFile(module), 'utf8').trim() === pomFingerprint(module) &&
    existsSync(dir) &&
    readdirSync(dir).some((f) => f.endsWith('.jar'))
  );
}

/** Downloads the jars of the given Maven modules (kafka, cassandra, s3proxy) that are not cached. */
export function ensureJars(modules) {
  const missing = [...new Set(modules)].filter((m) => !isCached(m));
  if (missing.length === 0) return;
  requireMaven();
  for (const module of missing) rmSync(join(JAR_CACHE_DIR, module), { recursive: true, force: true });
  console.log(`fetching ${missing.join(', ')} jars from Maven Central (first run only)...`);
  const result = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(SERVICES_SOURCE_DIR, 'pom.xml'),
      '-pl',
      missing.join(','),
      'dependency:copy-dependencies',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0) {
    throw new Error(
      `Maven could not fetch the ${missing.join(', ')} jars:\n${(result.stdout + result.stderr).trim().slice(-3000)}`,
    );
  }
  for (const module of missing) writeFileSync(stampFile(module), `${pomFingerprint(module)}\n`);
}

/** The classpath wildcard of a module's jars. */
export const classpath = (module) => join(jarDir(module), '*');

/** The single jar in a module's cache whose name starts with `prefix`. */
export function jarNamed(module, prefix) {
  const found = readdirSync(jarDir(module)).find((f) => f.startsWith(prefix) && f.endsWith('.jar'));
  if (!found)
    throw new Error(`no ${prefix}*.jar in ${jarDir(module)}; delete test/services/target to refetch`);
  return join(jarDir(module), found);
}

/** Fills {{placeholders}} of a template file under test/services. */
export function renderTemplate(relativePath, values) {
  const template = readFileSync(join(SERVICES_SOURCE_DIR, relativePath), 'utf8');
  return template.replace(/\{\{(\w+)\}\}/g, (_, key) => {
    if (!(key in values)) throw new Error(`template ${relativePath} needs a value for {{${key}}}`);
    return String(values[key]);
  });
}
