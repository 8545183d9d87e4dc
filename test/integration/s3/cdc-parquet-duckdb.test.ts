// PostgreSQL → PostgresCdcSource → Kafka → ExtractNewRecordState → S3Sink writing Parquet in daily dt=
// directories → DuckDB reading the objects: every column of the table comes back with its value and a
// Parquet type DuckDB understands (DECIMAL, DATE, TIME, TIMESTAMP WITH TIME ZONE, BLOB).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { TestBucket } from '../../support/s3-bucket.js';
import { makeTempDir, removeTempDir, waitFor, WorkerProcess } from '../../support/worker-process.js';
import {
  pipelineNames,
  SourceDatabase,
  sourceConfig,
  type PipelineNames,
} from '../postgres-sink/pipeline.js';
import { JSON_WITH_SCHEMAS } from '../postgres-sink/support.js';

const TABLE = {
  name: 'readings',
  ddl: `CREATE TABLE readings (id integer PRIMARY KEY, name text, amount numeric(12,2), big bigint, ratio real,
        score double precision, flag boolean, born date, at_time time(3), taken_at timestamp(3), blob bytea)`,
  compare: `SELECT id, name, amount::text AS amount, big::text AS big, ratio, score, flag, born::text AS born,
            at_time::text AS at_time, (extract(epoch FROM taken_at) * 1000)::bigint::text AS taken_at,
            encode(blob, 'hex') AS blob FROM readings ORDER BY id`,
};

const ROWS: readonly unknown[][] = [
  [
    1,
    'plain',
    '1234.50',
    '42',
    1.5,
    3.141592653589793,
    true,
    '2024-02-29',
    '01:02:03.004',
    '2024-02-29 12:34:56.789',
    '\\x00ff10',
  ],
  [
    2,
    'ünïcødé "quoted"',
    '-9999999999.99',
    '9007199254740993',
    -0.25,
    -1e-300,
    false,
    '1969-07-20',
    '23:59:59.999',
    '1969-07-20 20:17:40.001',
    '\\x',
  ],
  [3, null, null, null, null, null, null, null, null, null, null],
  [
    4,
    '',
    '0.01',
    '-9223372036854775808',
    0,
    0,
    true,
    '1900-01-01',
    '00:00:00.001',
    '1970-01-01 00:00:00.001',
    '\\x7f',
  ],
  [
    5,
    'five',
    '-0.01',
    '9223372036854775807',
    1e10,
    2.5,
    false,
    '2099-12-31',
    '12:00:00.123',
    '2099-12-31 23:59:59.999',
    '\\x01',
  ],
  [6, 'six', '0.00', '0', -1.5, -2.5, null, '2000-01-01', '06:30:15.250', '2000-01-01 00:00:00.000', null],
];

describe('CDC to Parquet on S3, read by DuckDB', { timeout: 240_000 }, () => {
  let names: PipelineNames;
  let source: SourceDatabase | undefined;
  let bucket: TestBucket | undefined;
  let worker: WorkerProcess | undefined;
  let dir: string | undefined;

  before(async () => {
    names = pipelineNames('s3pq');
    source = await SourceDatabase.create([TABLE]);
    bucket = await TestBucket.create('s3-parquet');
    dir = await makeTempDir('sluice-parquet-');
    worker = await WorkerProcess.start({
      properties: { ...JSON_WITH_SCHEMAS, 'offset.flush.interval.ms': '500' },
    });
  });

  after(async () => {
    await worker?.dispose();
    await source?.drop(names.slot);
    await bucket?.drop();
    if (dir !== undefined) await removeTempDir(dir);
  });

  test('every row and column as PostgreSQL has it, in dt=YYYY-MM-dd directories', async () => {
    for (const row of ROWS)
      await source!.client.query(
        `INSERT INTO readings VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`,
        row,
      );
    await worker!.createConnector(names.source, {
      ...sourceConfig(names, source!, [TABLE.name]),
      // Connect's own Date, Time and Timestamp rather than Debezium's epoch numbers, so Parquet gets
      // DATE, TIME and TIMESTAMP columns.
      'time.precision.mode': 'connect',
    });
    const topic = `${names.prefix}.public.readings`;
    await worker!.createConnector(names.sink, {
      'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
      'tasks.max': '1',
      topics: topic,
      ...bucket!.connectorSettings(),
      'format.class': 'io.confluent.connect.s3.format.parquet.ParquetFormat',
      'parquet.codec': 'zstd',
      'flush.size': '3',
      'partitioner.class': 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
      'path.format': "'dt'=YYYY-MM-dd",
      'partition.duration.ms': '86400000',
      'timestamp.extractor': 'Record',
      locale: 'en-US',
      timezone: 'UTC',
      transforms: 'unwrap',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
    });

    let keys: string[] = [];
    await waitFor(
      async () => {
        for (const connector of [names.source, names.sink]) {
          const failed = (await worker!.status(connector)).tasks.find((t) => t.state === 'FAILED');
          if (failed !== undefined)
            assert.fail(`${connector} FAILED:\n${(failed.trace ?? '').slice(0, 2000)}`);
        }
        return (keys = await bucket!.keys(`topics/${topic}/`)).length >= 2;
      },
      120_000,
      'two Parquet objects',
    ).catch((error: unknown) => {
      throw new Error(
        `${(error as Error).message}; keys ${JSON.stringify(keys)}; worker: ${worker!.output.slice(-3000)}`,
      );
    });
    const pattern = new RegExp(
      `^topics/${topic.replaceAll('.', '\\.')}/dt=\\d{4}-\\d{2}-\\d{2}/${topic.replaceAll('.', '\\.')}\\+0\\+000000000[03]\\.zstd\\.parquet$`,
    );
    for (const key of keys) assert.match(key, pattern);

    for (const key of keys) {
      const path = join(dir!, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await bucket!.bytes(key));
    }
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    let rows: Record<string, unknown>[];
    let types: Record<string, unknown>[];
    try {
      const from = `read_parquet('${dir}/topics/**/*.parquet', hive_partitioning = true)`;
      rows = (
        await connection.runAndReadAll(`
          SELECT id, name, amount::VARCHAR AS amount, big::VARCHAR AS big, ratio, score, flag,
                 born::VARCHAR AS born, at_time::VARCHAR AS at_time, epoch_ms(taken_at)::VARCHAR AS taken_at,
                 lower(hex(blob)) AS blob, dt::VARCHAR AS dt
          FROM ${from} ORDER BY id`)
      ).getRowObjectsJson() as Record<string, unknown>[];
      types = (
        await connection.runAndReadAll(
          `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${from})`,
        )
      ).getRowObjectsJson() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
      instance.closeSync();
    }

    const today = new Date().toISOString().slice(0, 10);
    for (const row of rows) assert.ok(typeof row['dt'] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(row['dt']));
    assert.ok(
      rows.some((r) => r['dt'] === today),
      `a dt=${today} directory`,
    );
    const expected = (await source!.client.query(TABLE.compare)).rows as Record<string, unknown>[];
    assert.deepEqual(
      rows.map(({ dt: _dt, ...rest }) => rest),
      expected,
    );
    assert.deepEqual(Object.fromEntries(types.map((t) => [t['column_name'], t['column_type']])), {
      id: 'INTEGER',
      name: 'VARCHAR',
      amount: 'DECIMAL(12,2)',
      big: 'BIGINT',
      ratio: 'FLOAT',
      score: 'DOUBLE',
      flag: 'BOOLEAN',
      born: 'DATE',
      at_time: 'TIME',
      taken_at: 'TIMESTAMP WITH TIME ZONE',
      blob: 'BLOB',
      dt: 'DATE',
    });
  });
});
