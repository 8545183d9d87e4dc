import type { ConnectorConfig } from './connector.js';

/**
 * How long a sink task retries retriable write failures, from `errors.retry.timeout`: -1 means for ever,
 * which is what Kafka Connect does with a sink's RetriableException when the key is not set.
 */
export function sinkRetryTimeoutMs(config: ConnectorConfig): number {
  const raw = config['errors.retry.timeout'];
  if (raw === undefined || raw.trim() === '') return -1;
  const parsed = Number(raw.trim());
  return Number.isInteger(parsed) && parsed >= -1 ? parsed : -1;
}
