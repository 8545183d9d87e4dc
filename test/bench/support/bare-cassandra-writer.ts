/**
 * Baseline for the cassandra benchmark: a plain cassandra-driver program writing the same rows the sink
 * writes (prepared INSERT ... USING TIMESTAMP, one statement per row) with `executeConcurrent` at the sink's
 * maxConcurrentRequests. Prints seconds, p99 latency (from the driver's request tracker) and peak RSS.
 * Usage: node bare-cassandra-writer.js '<json settings>'
 */
import cassandra from 'cassandra-driver';
import { benchRow } from './cassandra-rows.js';

interface Settings {
  contactPoints: string[];
  localDc: string;
  keyspace: string;
  rows: number;
  concurrency: number;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const latenciesMs: number[] = [];

/** Collects every request's latency (the driver calls it with [seconds, nanoseconds]). */
const RequestTrackerBase = (cassandra.tracker as unknown as { RequestTracker: new () => object })
  .RequestTracker;
class LatencyTracker extends RequestTrackerBase {
  onSuccess(...args: unknown[]): void {
    const latency = args[6] as [number, number];
    latenciesMs.push(latency[0] * 1000 + latency[1] / 1e6);
  }
}

const client = new cassandra.Client({
  contactPoints: settings.contactPoints,
  localDataCenter: settings.localDc,
  pooling: { coreConnectionsPerHost: { [cassandra.types.distance.local]: 4 } },
  requestTracker: new LatencyTracker() as cassandra.tracker.RequestTracker,
});
await client.connect();
const query = `INSERT INTO ${settings.keyspace}.rows (id, name, qty, price, updated_at) VALUES (?, ?, ?, ?, ?) USING TIMESTAMP ?`;
const params = Array.from({ length: settings.rows }, (_, i) => {
  const row = benchRow(i);
  return [
    row.id,
    row.name,
    row.qty,
    cassandra.types.BigDecimal.fromString(row.price),
    new Date(row.updated_at),
    cassandra.types.Long.fromNumber(1_700_000_000_000_000 + i),
  ];
});
const started = performance.now();
await cassandra.concurrent.executeConcurrent(client, query, params, {
  concurrencyLevel: settings.concurrency,
  executionProfile: undefined,
});
const seconds = (performance.now() - started) / 1000;
await client.shutdown();
latenciesMs.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ seconds, p99Ms: latenciesMs[Math.floor(latenciesMs.length * 0.99)] ?? null, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
