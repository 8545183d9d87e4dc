// Cassandra accepts schema changes, writes and reads through cassandra-driver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import cassandra from 'cassandra-driver';
import { CASSANDRA_LOCAL_DC, cassandraContactPoints } from '../../support/endpoints.js';

test('cassandra creates a keyspace and table, writes and reads a row', async () => {
  const client = new cassandra.Client({
    contactPoints: cassandraContactPoints(),
    localDataCenter: CASSANDRA_LOCAL_DC,
  });
  const keyspace = `smoke_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  try {
    await client.connect();
    await client.execute(
      `CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    await client.execute(
      `CREATE TABLE ${keyspace}.orders (id int PRIMARY KEY, customer text, total decimal)`,
    );
    await client.execute(
      `INSERT INTO ${keyspace}.orders (id, customer, total) VALUES (?, ?, ?)`,
      [7, 'ada', cassandra.types.BigDecimal.fromString('12.50')],
      {
        prepare: true,
      },
    );
    const row = (
      await client.execute(`SELECT customer, total FROM ${keyspace}.orders WHERE id = ?`, [7], {
        prepare: true,
      })
    ).first();
    assert.equal(row.get('customer'), 'ada');
    assert.equal(row.get('total').toString(), '12.50');
  } finally {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => {});
    await client.shutdown();
  }
});
