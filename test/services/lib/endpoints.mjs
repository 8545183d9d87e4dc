// Endpoints of the test services, for the plain-JS service scripts.
// Same env var names and defaults as test/support/endpoints.ts (the one place tests read);
// test/integration/smoke/endpoints.test.ts fails if the two drift apart.
import { homedir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';

const env = (name, fallback) => {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
};

export const KAFKA_BOOTSTRAP = env('KAFKA_BOOTSTRAP', '127.0.0.1:9092');
export const KAFKA_B_BOOTSTRAP = env('KAFKA_B_BOOTSTRAP', '127.0.0.1:9192');
export const KAFKA_SASL_BOOTSTRAP = env('KAFKA_SASL_BOOTSTRAP', '127.0.0.1:9093');
export const KAFKA_SASL_USER = env('KAFKA_SASL_USER', 'sluice');
export const KAFKA_SASL_PASSWORD = env('KAFKA_SASL_PASSWORD', 'sluice-secret');
export const KAFKA_SSL_BOOTSTRAP = env('KAFKA_SSL_BOOTSTRAP', '127.0.0.1:9094');
export const KAFKA_TLS_DIR = env('KAFKA_TLS_DIR', join(homedir(), '.cache', 'sluice-services', 'kafka-tls'));
export const KAFKA_CA_PEM = env('KAFKA_CA_PEM', join(KAFKA_TLS_DIR, 'ca.pem'));
export const KAFKA_CLIENT_CERT_PEM = env('KAFKA_CLIENT_CERT_PEM', join(KAFKA_TLS_DIR, 'client.pem'));
export const KAFKA_CLIENT_KEY_PEM = env('KAFKA_CLIENT_KEY_PEM', join(KAFKA_TLS_DIR, 'client.key'));
export const PG_URL = env('PG_URL', 'postgres://postgres@127.0.0.1:5432/test');
export const CASSANDRA_CONTACT_POINTS = env('CASSANDRA_CONTACT_POINTS', '127.0.0.1:9042');
export const CASSANDRA_LOCAL_DC = env('CASSANDRA_LOCAL_DC', 'datacenter1');
export const S3_ENDPOINT = env('S3_ENDPOINT', 'http://127.0.0.1:9000');
export const S3_ACCESS_KEY = env('S3_ACCESS_KEY', 'sluice');
export const S3_SECRET_KEY = env('S3_SECRET_KEY', 'sluicesecret');
export const S3_REGION = env('S3_REGION', 'us-east-1');
export const REDIS_URL = env('REDIS_URL', 'redis://127.0.0.1:6379');

/** The endpoints tests and benchmarks use, as KEY=value lines (`npm run -s services:env`). */
export function endpointLines() {
  const endpoints = {
    KAFKA_BOOTSTRAP,
    KAFKA_B_BOOTSTRAP,
    KAFKA_SASL_BOOTSTRAP,
    KAFKA_SASL_USER,
    KAFKA_SASL_PASSWORD,
    KAFKA_SSL_BOOTSTRAP,
    KAFKA_CA_PEM,
    KAFKA_CLIENT_CERT_PEM,
    KAFKA_CLIENT_KEY_PEM,
    PG_URL,
    CASSANDRA_CONTACT_POINTS,
    S3_ENDPOINT,
    S3_ACCESS_KEY,
    S3_SECRET_KEY,
    REDIS_URL,
  };
  return Object.entries(endpoints).map(([key, value]) => `${key}=${value}`);
}

/** Splits "host:port" (the first entry of a comma-separated list) with a default port. */
export function hostPort(address, defaultPort) {
  const first = address.split(',')[0].trim();
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(first);
  if (!match) throw new Error(`cannot read host:port from "${address}"`);
  return { host: match[1], port: match[2] ? Number(match[2]) : defaultPort };
}

/** Host and port of a URL such as http://127.0.0.1:9000 or redis://127.0.0.1:6379. */
export function urlHostPort(url, defaultPort) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : defaultPort,
  };
}

/** We only ever start processes for endpoints on this machine. */
export function isLocalHost(host) {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '0.0.0.0';
}
