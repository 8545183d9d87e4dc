/**
 * Debezium: the PostgreSQL connector 3.6.1 in Java Kafka Connect standalone and Sluice's PostgresCdcSource
 * in `sluice standalone`, the same .properties, on one table with every commonly used PostgreSQL type and
 * its special values. Each side runs one connector per mode pair (every decimal.handling.mode and every
 * time.precision.mode appear once), snapshots the rows, then streams the same rows inserted again, an
 * update and a delete (with its tombstone). Events are paired in topic order and compared field by field:
 * key, value (schemas included) and headers, with times, LSNs, transaction ids and names normalised.
 */
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { KAFKA_BOOTSTRAP, kafkaBrokers, PG_URL } from '../support/endpoints.js';
import { dropSlotAndDatabase } from '../support/postgres-cleanup.js';
import { benchDir, writeConnectorFile, writeWorkerFile } from '../bench/support/worker-files.js';
import { freePort } from '../bench/support/child-process.js';
import { diffJson, maskKeys, replaceTexts, type Difference } from './difference.js';
import { SIDES, startStandalone, until, type Side } from './sides.js';

const MODES = [
  { decimal: 'precise', time: 'adaptive' },
  { decimal: 'double', time: 'adaptive_time_microseconds' },
  { decimal: 'string', time: 'connect' },
] as const;

const COLUMNS = `id int PRIMARY KEY, c_int2 int2, c_int4 int4 NOT NULL DEFAULT 7, c_int8 int8, c_float4 float4,
  c_float8 float8, c_bool bool, c_numeric numeric(10,2), c_numeric_free numeric, c_money money, c_text text,
  c_varchar varchar(20), c_char char(3), c_bytea bytea, c_uuid uuid, c_json json, c_jsonb jsonb, c_xml xml,
  c_date date, c_time time, c_time3 time(3), c_timetz timetz, c_ts timestamp, c_ts3 timestamp(3),
  c_tstz timestamptz, c_interval interval, c_inet inet, c_cidr cidr, c_macaddr macaddr, c_bit bit(3),
  c_varbit varbit, c_int_array int[], c_text_array text[], c_numeric_array numeric[], c_date_array date[],
  c_ts_array timestamp[], c_tstz_array timestamptz[]`;

/** Ordinary values, each special value of its type, and NULLs. */
const ROWS = [
  `(1, -7, 42, 9007199254740991, 1.5, 2.25, true, -12.34, 3.14159, 1000000.99, 'hello', 'var', 'ab',
    '\\x0102ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}', '<a>x</a>', '2024-02-29',
    '13:45:10.123456', '13:45:10.123', '13:45:10.5+02', '2024-02-29 13:45:10.123456', '2024-02-29 13:45:10.123',
    '2024-02-29 13:45:10.5+02', '1 year 2 mons 3 days 04:05:06.789', '192.168.0.1/24', '10.0.0.0/8',
    '08:00:2b:01:02:03', B'101', B'10101', '{1,2,NULL}', '{"x y",z}', '{1.5,NaN}', '{2024-01-01,NULL}',
    '{"2024-01-01 00:00:00"}', '{"2024-01-01 00:00:00+00"}')`,
  `(2, NULL, 0, NULL, 'NaN', 'Infinity', NULL, NULL, 'NaN', '92233720368547758.07', '', NULL, NULL, '\\x', NULL,
    'null', '[]', NULL, 'infinity', '24:00:00', '00:00:00', '24:00:00+00', 'infinity', '-infinity', 'infinity',
    '-178000000 years', NULL, NULL, NULL, B'000', B'', '{}', '{}', NULL, '{infinity,-infinity}', '{infinity}',
    '{-infinity}')`,
  `(3, 32767, -1, -9223372036854775808, '-Infinity', '-0', false, 99999999.99, '-Infinity', '-92233720368547758.08',
    'ü€𝄞', 'x', 'abc', NULL, '00000000-0000-0000-0000-000000000000', '{}', '{}', NULL, '-infinity',
    '23:59:59.999999', '23:59:59.999', '23:59:59.999999+15:59', '9999-12-31 23:59:59.999999',
    '9999-12-31 23:59:59.999', '-infinity', '0', '::1', '::/0', 'ff:ff:ff:ff:ff:ff', B'111', NULL, NULL, NULL,
    '{2.5,-1}', NULL, NULL, NULL)`,
  `(4, NULL, 7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    '4713-01-01 BC', NULL, NULL, NULL, '0001-01-01 00:00:00', NULL, '1970-01-01 00:00:00.000001+00', NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
];

/** Values that differ by run: times, positions, transaction ids, the run id header. */
const MASKED = new Set([
  'ts_ms',
  'ts_us',
  'ts_ns',
  'lsn',
  'txId',
  'xmin',
  'sequence',
  '__debezium.context.runId',
]);

function urlFor(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function sql(url: string, statements: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

interface Event {
  readonly key: unknown;
  readonly value: unknown;
  readonly headers: Record<string, string>;
}

async function readTopic(topic: string, count: number): Promise<Event[]> {
  const kafka = new Kafka({
    clientId: 'sluice-compat',
    brokers: kafkaBrokers(KAFKA_BOOTSTRAP),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `sluice-compat-reader-${Date.now()}-${Math.random()}` });
  const events: Event[] = [];
  const parse = (b: Buffer | null): unknown =>
    b === null ? null : (JSON.parse(b.toString('utf8')) as unknown);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {}))
          headers[k] = Array.isArray(v) ? v.map(String).join('|') : String(v);
        events.push({ key: parse(message.key), value: parse(message.value), headers });
      },
    });
    await until(`${count} events on ${topic}`, async () => events.length >= count, 120_000);
  } finally {
    await consumer.disconnect();
  }
  return events;
}

async function topicSize(topic: string): Promise<number> {
  const kafka = new Kafka({
    clientId: 'sluice-compat',
    brokers: kafkaBrokers(KAFKA_BOOTSTRAP),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0);
  } catch {
    return 0;
  } finally {
    await admin.disconnect();
  }
}

function connectorConfig(
  database: string,
  prefix: string,
  slot: string,
  mode: (typeof MODES)[number],
): Record<string, string> {
  const url = new URL(PG_URL);
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'tasks.max': '1',
    'database.hostname': url.hostname,
    'database.port': url.port || '5432',
    'database.user': decodeURIComponent(url.username || 'postgres'),
    ...(url.password === '' ? {} : { 'database.password': decodeURIComponent(url.password) }),
    'database.dbname': database,
    'topic.prefix': prefix,
    'plugin.name': 'pgoutput',
    'slot.name': slot,
    'publication.name': `${slot}_pub`,
    'publication.autocreate.mode': 'filtered',
    'table.include.list': 'public.compat_types',
    'decimal.handling.mode': mode.decimal,
    'time.precision.mode': mode.time,
  };
}

export async function compareDebezium(classpath: string): Promise<Difference[]> {
  const tag = `${Date.now().toString(36)}${process.pid}`;
  const database = `sluice_compat_${tag}`;
  const snapshot = ROWS.length;
  // Streamed: every row again (ids + 100), one update, one delete and its tombstone.
  const total = snapshot * 2 + 3;
  const slots: string[] = [];
  await sql(PG_URL, [`CREATE DATABASE ${database}`]);
  const differences: Difference[] = [];
  try {
    await sql(urlFor(database), [
      `CREATE TABLE compat_types (${COLUMNS})`,
      `INSERT INTO compat_types VALUES ${ROWS.join(',')}`,
    ]);
    const prefixOf = (side: Side, m: number): string => `c${side[0]}${tag}m${m}`;
    const running = await Promise.all(
      SIDES.map(async (side) => {
        const dir = benchDir(`compat-debezium-${side}`);
        const worker = writeWorkerFile(dir, await freePort(), {
          'key.converter.schemas.enable': 'true',
          'value.converter.schemas.enable': 'true',
          'offset.flush.interval.ms': '1000',
          ...(side === 'java' ? { 'plugin.discovery': 'service_load' } : {}),
        });
        const files = MODES.map((mode, m) => {
          const slot = `compat_${side}_${tag}_${m}`;
          slots.push(slot);
          return writeConnectorFile(
            dir,
            `compat-dbz-${side}-${tag}-${m}`,
            connectorConfig(database, prefixOf(side, m), slot, mode),
          );
        });
        return startStandalone(side, classpath, dir, [worker, ...files]);
      }),
    );
    try {
      const topics = SIDES.flatMap((side) => MODES.map((_, m) => `${prefixOf(side, m)}.public.compat_types`));
      const sizes = async (): Promise<number[]> => Promise.all(topics.map((t) => topicSize(t)));
      await until(
        'every snapshot',
        async () => {
          for (const r of running)
            if (r.child.exitCode !== null) throw new Error(`${r.side} exited: ${r.stderr()}`);
          return (await sizes()).every((n) => n >= snapshot);
        },
        300_000,
      );
      // Both sides stream from their slots once the snapshot is read; a moment for the replication to start.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      await sql(urlFor(database), [
        `INSERT INTO compat_types SELECT id + 100, c_int2, c_int4, c_int8, c_float4, c_float8, c_bool, c_numeric, c_numeric_free, c_money, c_text, c_varchar, c_char, c_bytea, c_uuid, c_json, c_jsonb, c_xml, c_date, c_time, c_time3, c_timetz, c_ts, c_ts3, c_tstz, c_interval, c_inet, c_cidr, c_macaddr, c_bit, c_varbit, c_int_array, c_text_array, c_numeric_array, c_date_array, c_ts_array, c_tstz_array FROM compat_types ORDER BY id`,
        `UPDATE compat_types SET c_text = 'changed', c_int4 = 8 WHERE id = 101`,
        `DELETE FROM compat_types WHERE id = 102`,
      ]);
      await until('every streamed event', async () => (await sizes()).every((n) => n >= total), 300_000);
      for (const [m, mode] of MODES.entries()) {
        const events = await Promise.all(
          SIDES.map((side) => readTopic(`${prefixOf(side, m)}.public.compat_types`, total)),
        );
        const normal = (side: Side, e: Event): unknown =>
          maskKeys(
            replaceTexts(
              e,
              new Map([
                [prefixOf(side, m), '<prefix>'],
                [`compat-dbz-${side}-${tag}-${m}`, '<connector>'],
              ]),
            ),
            MASKED,
          );
        const [java, sluice] = events as [Event[], Event[]];
        for (let i = 0; i < Math.max(java.length, sluice.length); i++) {
          const j = java[i];
          const phase = i < snapshot ? 'snapshot' : 'streaming';
          const op =
            (j?.value as { payload?: { op?: string } } | null)?.payload?.op ??
            (j?.value === null ? 'tombstone' : '?');
          const step = `${mode.decimal}/${mode.time} ${phase} event ${i} (${op})`;
          for (const d of diffJson(
            j === undefined ? '<absent>' : normal('java', j),
            sluice[i] === undefined ? '<absent>' : normal('sluice', sluice[i]!),
          ))
            differences.push({ area: 'debezium', step, ...d });
        }
      }
    } finally {
      await Promise.all(running.map((r) => r.stop()));
    }
  } finally {
    for (const slot of slots) await dropSlotAndDatabase(slot, database).catch(() => undefined);
  }
  return differences;
}
