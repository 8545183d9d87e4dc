// Endpoints of the test services, for the plain-JS service scripts.
// Same env var names and defaults as test/support/endpoints.ts (the one place tests read);
// test/integration/smoke/endpoints.test.ts fails if the two drift apart.
import process from 'node:process';
import { URL } from 'node:url';

const env = (name, fallback) => {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
};

export const KAFKA_BOOTSTRAP = env('KAFKA_BOOTSTRAP', '127.0.0.1:9092');
export const KAFKA_B_BOOTSTRAP = env('KAFKA_B_BOOTSTRAP', '127.0.0.1:9192');
export const PG_URL = env('PG_URL', 'postgres://postgres@127.0.0.1:5432/test');
export const CASSANDRA_CONTACT_POINTS = env('CASSANDRA_CONTACT_POINTS', '127.0.0.1:9042');
export const CASSANDRA_LOCAL_DC = env('CASSANDRA_LOCAL_DC', 'datacenter1');
export const S3_ENDPOINT = env('S3_ENDPOINT', 'http://127.0.0.1:9000');
export const S3_ACCESS_KEY = env('S3_ACCESS_KEY', 'sluice');
export const S3_SECRET_KEY = env('S3_SECRET_KEY', 'sluicesecret');
export const S3_REGION = env('S3_REGION', 'us-east-1');
export const REDIS_URL = env('REDIS_URL', 'redis://127.0.0.1:6379');

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
