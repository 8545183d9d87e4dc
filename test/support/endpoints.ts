// The one place tests and benchmarks learn where the real services are. Every value can be
// overridden by the environment variable of the same name (e.g. KAFKA_BOOTSTRAP=host:9092);
// the defaults are what `npm run services:up` starts (docs/services.md).
// scripts/services.mjs reads the same variables with the same defaults
// (test/services/lib/endpoints.mjs); the smoke tests fail if the two drift apart.

import { homedir } from 'node:os';
import { join } from 'node:path';

function fromEnv(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

/** Bootstrap servers of Kafka cluster A (the main cluster), "host:port[,host:port]". */
export const KAFKA_BOOTSTRAP = fromEnv('KAFKA_BOOTSTRAP', '127.0.0.1:9092');
/** Bootstrap servers of Kafka cluster B (the mirroring target). */
export const KAFKA_B_BOOTSTRAP = fromEnv('KAFKA_B_BOOTSTRAP', '127.0.0.1:9192');
/** Cluster A's SASL_SSL listener (SCRAM-SHA-512, server certificate signed by KAFKA_CA_PEM). */
export const KAFKA_SASL_BOOTSTRAP = fromEnv('KAFKA_SASL_BOOTSTRAP', '127.0.0.1:9093');
export const KAFKA_SASL_USER = fromEnv('KAFKA_SASL_USER', 'sluice');
export const KAFKA_SASL_PASSWORD = fromEnv('KAFKA_SASL_PASSWORD', 'sluice-secret');
/** Cluster A's SSL listener; it requires a client certificate signed by KAFKA_CA_PEM. */
export const KAFKA_SSL_BOOTSTRAP = fromEnv('KAFKA_SSL_BOOTSTRAP', '127.0.0.1:9094');
/** Where `services:up` makes the test CA and certificates (one directory per machine: brokers are shared). */
export const KAFKA_TLS_DIR = fromEnv(
  'KAFKA_TLS_DIR',
  join(homedir(), '.cache', 'sluice-services', 'kafka-tls'),
);
/** PEM files (paths): the CA that signed the brokers' and the client's certificates, the client's pair. */
export const KAFKA_CA_PEM = fromEnv('KAFKA_CA_PEM', join(KAFKA_TLS_DIR, 'ca.pem'));
export const KAFKA_CLIENT_CERT_PEM = fromEnv('KAFKA_CLIENT_CERT_PEM', join(KAFKA_TLS_DIR, 'client.pem'));
export const KAFKA_CLIENT_KEY_PEM = fromEnv('KAFKA_CLIENT_KEY_PEM', join(KAFKA_TLS_DIR, 'client.key'));
/** PostgreSQL connection URL; the database allows logical replication (wal_level=logical). */
export const PG_URL = fromEnv('PG_URL', 'postgres://postgres@127.0.0.1:5432/test');
/** Cassandra contact points, "host:port[,host:port]". */
export const CASSANDRA_CONTACT_POINTS = fromEnv('CASSANDRA_CONTACT_POINTS', '127.0.0.1:9042');
/** The data center name the Cassandra driver must be told (SimpleSnitch's is datacenter1). */
export const CASSANDRA_LOCAL_DC = fromEnv('CASSANDRA_LOCAL_DC', 'datacenter1');
/** S3-compatible endpoint (S3Proxy); use path-style addressing. */
export const S3_ENDPOINT = fromEnv('S3_ENDPOINT', 'http://127.0.0.1:9000');
export const S3_ACCESS_KEY = fromEnv('S3_ACCESS_KEY', 'sluice');
export const S3_SECRET_KEY = fromEnv('S3_SECRET_KEY', 'sluicesecret');
export const S3_REGION = fromEnv('S3_REGION', 'us-east-1');
/** Redis URL, redis://[:password@]host:port[/db]. */
export const REDIS_URL = fromEnv('REDIS_URL', 'redis://127.0.0.1:6379');

const splitList = (list: string): string[] =>
  list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

/** Broker list for a Kafka client, e.g. `new Kafka({ brokers: kafkaBrokers() })`. */
export function kafkaBrokers(bootstrap: string = KAFKA_BOOTSTRAP): string[] {
  return splitList(bootstrap);
}

/** Contact points for `new cassandra.Client({ contactPoints, localDataCenter })`. */
export function cassandraContactPoints(): string[] {
  return splitList(CASSANDRA_CONTACT_POINTS);
}

/** The CassandraSink connection keys for the test Cassandra, its first contact point as host plus `port`. */
export function cassandraSinkConnection(): Record<string, string> {
  const [host, port] = cassandraContactPoints()[0]!.split(':');
  return { contactPoints: host!, port: port ?? '9042', 'loadBalancing.localDc': CASSANDRA_LOCAL_DC };
}

export interface S3ClientSettings {
  endpoint: string;
  region: string;
  forcePathStyle: true;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** Settings to spread into `new S3Client({ ...s3ClientSettings() })`. */
export function s3ClientSettings(): S3ClientSettings {
  return {
    endpoint: S3_ENDPOINT,
    region: S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY },
  };
}

export interface RedisConnectionSettings {
  host: string;
  port: number;
  password?: string;
  db?: number;
}

/** Connection options in the shape bullmq/ioredis take (`{ connection: redisConnection() }`). */
export function redisConnection(url: string = REDIS_URL): RedisConnectionSettings {
  const parsed = new URL(url);
  const settings: RedisConnectionSettings = {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
  };
  if (parsed.password) settings.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '') settings.db = Number(db);
  return settings;
}
