/**
 * Baseline for the backfill benchmark: a bare `pg` cursor (DECLARE ... CURSOR, FETCH in pages) read in key order
 * and produced with a bare kafkajs producer, one page per send (acks=all, no compression, one send in flight),
 * values in the same envelope shape the backfill writes (`before`, `after`, `source`, `op: "r"`, `ts_ms`). It
 * prints its peak RSS. Usage: node bare-pg-cursor.js '<json settings>'
 */
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import pg from 'pg';

interface Settings {
  pgUrl: string;
  table: string;
  bootstrap: string;
  topic: string;
  fetchSize: number;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const kafka = new Kafka({
  clientId: 'bench-bare-pg',
  brokers: settings.bootstrap.split(','),
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner,
  idempotent: false,
  maxInFlightRequests: 1,
});
const db = new pg.Client({ connectionString: settings.pgUrl });
await Promise.all([producer.connect(), db.connect()]);
await db.query('BEGIN');
await db.query(`DECLARE bench_cursor NO SCROLL CURSOR FOR SELECT * FROM ${settings.table} ORDER BY id`);
for (;;) {
  const page = await db.query<Record<string, unknown>>(`FETCH ${settings.fetchSize} FROM bench_cursor`);
  if (page.rows.length === 0) break;
  const tsMs = Date.now();
  const messages = page.rows.map((row) => ({
    key: JSON.stringify({ id: row['id'] }),
    value: JSON.stringify({
      before: null,
      after: row,
      source: {
        version: 'bare',
        connector: 'postgresql',
        name: 'bench',
        ts_ms: tsMs,
        snapshot: 'true',
        db: 'test',
        schema: 'public',
        table: settings.table,
      },
      op: 'r',
      ts_ms: tsMs,
    }),
  }));
  await producer.send({ topic: settings.topic, messages, acks: -1, compression: CompressionTypes.None });
}
await db.query('COMMIT');
await Promise.all([producer.disconnect(), db.end()]);
process.stdout.write(`${JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
