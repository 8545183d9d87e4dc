/**
 * Baseline for the source-path benchmark: a plain kafkajs producer loop, run as its own process. It writes
 * the same records the worker writes (same key/value bytes, same batch size, acks=all, no compression,
 * one batch in flight at a time) and prints its peak RSS. Usage: node bare-producer.js '<json settings>'
 */
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import { jsonRecord } from './json-records.js';

interface Settings {
  bootstrap: string;
  topic: string;
  records: number;
  batchSize: number;
  recordSizeBytes: number;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const kafka = new Kafka({
  clientId: 'bench-bare-producer',
  brokers: settings.bootstrap.split(','),
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner,
  idempotent: false,
  maxInFlightRequests: 1,
});
await producer.connect();
for (let next = 0; next < settings.records; next += settings.batchSize) {
  const end = Math.min(settings.records, next + settings.batchSize);
  const messages = [];
  for (let seq = next; seq < end; seq++) messages.push(jsonRecord(seq, settings.recordSizeBytes));
  await producer.send({ topic: settings.topic, messages, acks: -1, compression: CompressionTypes.None });
}
await producer.disconnect();
process.stdout.write(`${JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
