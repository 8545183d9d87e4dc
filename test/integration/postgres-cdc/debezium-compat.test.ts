// Issue 12's remaining Debezium 3.x differences, against real PostgreSQL and Kafka: source.snapshot's
// markers across several tables.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cdcWorkerSuite, payloadOf, readChanges } from './cdc-fixture.js';

describe('Debezium 3.x compatibility of the CDC source', () => {
  const suite = cdcWorkerSuite();

  test('source.snapshot: first, first_in_data_collection, last_in_data_collection and last as Debezium marks them', async () => {
    const fx = await suite.fixture('snapmark');
    const { db, schema } = fx;
    // Read in name order: a (3 rows), b (1 row), c (2 rows), d (empty: "last" goes to c's last row).
    for (const [table, rows] of [
      ['a', 3],
      ['b', 1],
      ['c', 2],
      ['d', 0],
    ] as const) {
      await db.query(`CREATE TABLE ${schema}.${table} (id int PRIMARY KEY)`);
      for (let id = 1; id <= rows; id++) await db.query(`INSERT INTO ${schema}.${table} VALUES ($1)`, [id]);
    }
    const name = `cdc-${fx.suffix}`;
    await suite.worker().createConnector(name, fx.connectorConfig({ 'snapshot.fetch.size': '1' }));
    const markersOf = async (table: string, count: number) =>
      (await readChanges(fx.topic(table), count)).map(
        (m) => (payloadOf(m)?.source as Record<string, unknown>).snapshot,
      );
    assert.deepEqual(await markersOf('a', 3), ['first', 'true', 'last_in_data_collection']);
    assert.deepEqual(await markersOf('b', 1), ['last_in_data_collection']);
    assert.deepEqual(await markersOf('c', 2), ['first_in_data_collection', 'last']);
  });
});
