// Shared setup for the Postgres CDC integration tests: a unique schema, slot, publication and topic prefix
// per test, a connector config for the real worker, and cleanup that drops only what the test created.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PG_URL } from '../../support/endpoints.js';
import { readTopic, type ReadMessage } from '../../support/kafka-test-client.js';
import { after, before } from 'node:test';
import { waitFor, WorkerProcess } from '../../support/worker-process.js';

export interface CdcFixture {
  readonly suffix: string;
  readonly schema: string;
  readonly slot: string;
  readonly publication: string;
  readonly prefix: string;
  readonly db: pg.Client;
  connectorConfig(extra?: Readonly<Record<string, string>>): Record<string, string>;
  topic(table: string): string;
  cleanup(): Promise<void>;
}

export async function cdcFixture(label: string): Promise<CdcFixture> {
  const suffix = `${label}_${Date.now().toString(36)}_${randomUUID().slice(0, 6)}`.toLowerCase();
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  const schema = `cdc_${suffix}`;
  const slot = `slot_${suffix}`;
  const publication = `pub_${suffix}`;
  const prefix = `cdcit_${suffix}`;
  await db.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL);
  return {
    suffix,
    schema,
    slot,
    publication,
    prefix,
    db,
    connectorConfig(extra = {}) {
      return {
        'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
        'tasks.max': '1',
        'database.hostname': url.hostname,
        'database.port': url.port || '5432',
        'database.user': decodeURIComponent(url.username) || 'postgres',
        'database.password': decodeURIComponent(url.password),
        'database.dbname': url.pathname.replace(/^\//, ''),
        'topic.prefix': prefix,
        'schema.include.list': schema,
        'slot.name': slot,
        'publication.name': publication,
        'publication.autocreate.mode': 'filtered',
        'plugin.name': 'pgoutput',
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'key.converter.schemas.enable': 'true',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'true',
        'slot.max.retries': '3',
        'slot.retry.delay.ms': '2000',
        ...extra,
      };
    },
    topic(table: string) {
      return `${prefix}.${schema}.${table}`;
    },
    async cleanup() {
      await waitFor(
        async () =>
          (
            await db.query(
              'SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL',
              [slot],
            )
          ).rowCount === 0,
        20_000,
        `slot ${slot} released`,
      ).catch(() => undefined);
      await db
        .query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [
          slot,
        ])
        .catch(() => undefined);
      await db.query(`DROP PUBLICATION IF EXISTS ${publication}`).catch(() => undefined);
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.end();
    },
  };
}

export interface Envelope {
  readonly schema: Record<string, unknown> | null;
  readonly payload: Record<string, unknown> | null;
}

export interface ChangeMessage {
  readonly key: Envelope | null;
  readonly value: Envelope | null;
  readonly raw: ReadMessage;
}

export function parseMessage(message: ReadMessage): ChangeMessage {
  const parse = (b: Buffer | null): Envelope | null =>
    b === null ? null : (JSON.parse(b.toString('utf8')) as Envelope);
  return { key: parse(message.key), value: parse(message.value), raw: message };
}

export async function readChanges(
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<ChangeMessage[]> {
  return (await readTopic(topic, count, timeoutMs)).map(parseMessage);
}

/** The payload fields of a change event (null for a tombstone). */
export function payloadOf(m: ChangeMessage): Record<string, unknown> | null {
  return m.value?.payload ?? null;
}

/** BigInteger.toByteArray, written independently of the connector's helper. */
export function twos(value: bigint): number[] {
  let hex = (value < 0n ? (1n << 64n) + value : value).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = [...Buffer.from(hex, 'hex')];
  const fill = value < 0n ? 0xff : 0x00;
  while (bytes.length > 1 && bytes[0] === fill && ((bytes[1]! & 0x80) !== 0) === value < 0n)
    bytes = bytes.slice(1);
  if (value >= 0n && (bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return bytes;
}

export interface CdcWorkerSuite {
  /** The worker the tests share (started by the suite's before hook). */
  worker(): WorkerProcess;
  /** A fixture of the test's own, dropped after the suite. */
  fixture(label: string): Promise<CdcFixture>;
}

/**
 * For a describe block whose tests share one worker but each use a fixture of their own: registers the
 * before/after hooks that start and stop the worker and drop every fixture made through the suite.
 */
export function cdcWorkerSuite(): CdcWorkerSuite {
  let worker: WorkerProcess | undefined;
  const fixtures: CdcFixture[] = [];
  before(async () => {
    worker = await WorkerProcess.start();
  });
  after(async () => {
    await worker?.terminate().catch(() => undefined);
    await worker?.dispose();
    for (const fx of fixtures) await fx.cleanup();
  });
  return {
    worker() {
      if (worker === undefined) throw new Error('the CDC test worker is not started yet');
      return worker;
    },
    async fixture(label) {
      const fx = await cdcFixture(label);
      fixtures.push(fx);
      return fx;
    },
  };
}
