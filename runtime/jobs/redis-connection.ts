import { SluiceError } from '../errors/sluice-error.js';

/** ioredis options as bullmq takes them. */
export interface RedisConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  readonly tls?: Record<string, never>;
  /** bullmq's workers block on Redis; ioredis must not give up a command after a few retries. */
  readonly maxRetriesPerRequest: null;
}

/** Parses `redis.url` (redis:// or rediss:// for TLS); a malformed URL names the key. */
export function redisConnectionOf(url: string): RedisConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SluiceError('CONFIG_INVALID_VALUE', [
      url,
      'redis.url',
      'must look like redis://host:port[/db]',
    ]);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new SluiceError('CONFIG_INVALID_VALUE', [
      url,
      'redis.url',
      'the scheme must be redis:// or rediss://',
    ]);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new SluiceError('CONFIG_INVALID_VALUE', [url, 'redis.url', 'the path must be a database number']);
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === '' ? {} : { db: Number(db) }),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
