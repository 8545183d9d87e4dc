// PostgreSQL → PostgresCdcSource → Kafka A → ExtractNewRecordState → CassandraSink, with random inserts,
// updates and deletes and a kill -9 of the worker in the middle: afterwards the Cassandra table equals the
// PostgreSQL table row for row. SLUICE_CASSANDRA_CDC_OPS sets the number of changes (default 3,000 to keep CI
// fast; the 20,000 is `SLUICE_CASSANDRA_CDC_OPS=20000`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type cassandra from 'cassandra-driver';
import { TestKeyspace } from '../../support/cassandra-keyspace.js';
import { cassandraSinkConnection } from '../../support/endpoints.js';
import { seededRandom } from '../../support/seeded-random.js';
import { sleep, WorkerProcess } from '../../support/worker-process.js';
import {
  pipelineNames,
  SourceDatabase,
  sourceConfig,
  type PipelineNames,
} from '../postgres-sink/pipeline.js';
import { JSON_WITH_SCHEMAS } from '../postgres-sink/support.js';

const OPERATIONS = Number(process.env['SLUICE_CASSANDRA_CDC_OPS'] ?? 3_000);
const PER_TRANSACTION = 25;
const TABLE = {
  name: 'items',
  ddl: 'CREATE TABLE items (id integer PRIMARY KEY, name text, qty integer, price numeric(12,2), updated_at timestamp(3))',
  compare: 'SELECT id, name, qty, price::text AS price, updated_at FROM items ORDER BY id',
};

class Workload {
  private readonly next = seededRandom(20261205);
  private readonly live = new Set<number>();
  private nextId = 1;

  private int(n: number): number {
    return Math.floor(this.next() * n);
  }

  private row(): unknown[] {
    return [
      this.next() < 0.1 ? null : ['alpha', "o'quote", 'ünïcødé', '', 'x'.repeat(this.int(200))][this.int(5)],
      this.int(1_000_000) - 500_000,
      (this.int(100_000_000) / 100).toFixed(2),
      new Date(
        Date.UTC(
          2020 + this.int(6),
          this.int(12),
          1 + this.int(28),
          this.int(24),
          this.int(60),
          this.int(60),
          this.int(1000),
        ),
      ),
    ];
  }

  statement(): [string, unknown[]] {
    const roll = this.next();
    if (this.live.size === 0 || roll < 0.5) {
      const id = this.nextId++;
      this.live.add(id);
      return [
        'INSERT INTO items (id, name, qty, price, updated_at) VALUES ($1, $2, $3, $4, $5)',
        [id, ...this.row()],
      ];
    }
    const id = [...this.live][this.int(this.live.size)]!;
    if (roll < 0.8)
      return [
        'UPDATE items SET name = $2, qty = $3, price = $4, updated_at = $5 WHERE id = $1',
        [id, ...this.row()],
      ];
    this.live.delete(id);
    return ['DELETE FROM items WHERE id = $1', [id]];
  }
}

async function run(source: SourceDatabase, load: Workload, operations: number): Promise<void> {
  for (let done = 0; done < operations; done += PER_TRANSACTION) {
    await source.client.query('BEGIN');
    for (let i = 0; i < Math.min(PER_TRANSACTION, operations - done); i++) {
      const [sql, params] = load.statement();
      await source.client.query(sql, params);
    }
    await source.client.query('COMMIT');
  }
}

describe('CDC to Cassandra, end to end', () => {
  let testKeyspace: TestKeyspace;
  let keyspace: string;
  let names: PipelineNames;
  let source: SourceDatabase | undefined;
  let worker: WorkerProcess | undefined;
  let cql: cassandra.Client;

  before(async () => {
    names = pipelineNames('casscdc');
    source = await SourceDatabase.create([TABLE]);
    testKeyspace = await TestKeyspace.create('cass_cdc');
    keyspace = testKeyspace.name;
    cql = testKeyspace.client;
    await cql.execute(
      `CREATE TABLE ${keyspace}.items (id int PRIMARY KEY, name text, qty int, price decimal, updated_at timestamp)`,
    );
    worker = await WorkerProcess.start({
      properties: { ...JSON_WITH_SCHEMAS, 'offset.flush.interval.ms': '1000' },
    });
  });

  after(async () => {
    await worker?.dispose();
    await source?.drop(names.slot);
    await testKeyspace?.drop();
  });

  async function cassandraRows(): Promise<unknown[]> {
    const result = await cql.execute(`SELECT id, name, qty, price, updated_at FROM ${keyspace}.items`, [], {
      fetchSize: 100_000,
    });
    return result.rows
      .map((r) => ({
        id: r['id'] as number,
        name: (r['name'] as string | null) ?? null,
        qty: r['qty'] as number,
        price: (r['price'] as { toString(): string }).toString(),
        updated_at: (r['updated_at'] as Date).toISOString(),
      }))
      .sort((a, b) => a.id - b.id);
  }

  async function postgresRows(): Promise<unknown[]> {
    return (await source!.client.query(TABLE.compare)).rows.map((r: Record<string, unknown>) => ({
      ...r,
      // timestamp without time zone: pg reads it as local time; the CDC event carries it as UTC.
      updated_at: new Date(
        (r['updated_at'] as Date).getTime() - (r['updated_at'] as Date).getTimezoneOffset() * 60_000,
      ).toISOString(),
    }));
  }

  test(
    `${OPERATIONS} random changes with a kill -9 in the middle: Cassandra equals PostgreSQL row for row`,
    { timeout: 600_000 },
    async () => {
      const load = new Workload();
      await run(source!, load, Math.floor(OPERATIONS / 10));
      await worker!.createConnector(names.source, sourceConfig(names, source!, [TABLE.name]));
      const topic = `${names.prefix}.public.items`;
      await worker!.createConnector(names.sink, {
        'connector.class': 'CassandraSink',
        'tasks.max': '1',
        topics: topic,
        ...cassandraSinkConnection(),
        transforms: 'unwrap',
        'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
        // A change that sets a column to NULL must write NULL, not leave the old value (DataStax's default
        // nullToUnset=true skips nulls, which suits append-style topics but not change streams).
        [`topic.${topic}.${keyspace}.items.nullToUnset`]: 'false',
        [`topic.${topic}.${keyspace}.items.mapping`]:
          'id=key.id, name=value.name, qty=value.qty, price=value.price, updated_at=value.updated_at',
      });
      await run(source!, load, Math.floor(OPERATIONS * 0.4));
      const killed = await worker!.kill9();
      assert.equal(killed.signal, 'SIGKILL');
      // Changes made while the worker is down must arrive after the restart.
      await run(source!, load, Math.floor(OPERATIONS / 10));
      await worker!.start();
      await run(source!, load, OPERATIONS - Math.floor(OPERATIONS / 10) * 2 - Math.floor(OPERATIONS * 0.4));
      const expected = await postgresRows();
      const deadline = Date.now() + 300_000;
      let seen: unknown[] = [];
      for (;;) {
        for (const connector of [names.source, names.sink]) {
          const failed = (await worker!.status(connector)).tasks.find((t) => t.state === 'FAILED');
          if (failed !== undefined)
            assert.fail(`${connector} task FAILED:\n${(failed.trace ?? '').slice(0, 2000)}`);
        }
        seen = await cassandraRows();
        if (JSON.stringify(seen) === JSON.stringify(expected)) break;
        if (Date.now() > deadline) {
          const diff = expected
            .filter((row, i) => JSON.stringify(row) !== JSON.stringify(seen[i]))
            .slice(0, 3);
          assert.fail(
            `Cassandra has ${seen.length} rows, PostgreSQL ${expected.length}; first differences: ${JSON.stringify(diff)}`,
          );
        }
        await sleep(2_000);
      }
      assert.ok(expected.length > 100, `a real table was compared (${expected.length} rows)`);
    },
  );
});
