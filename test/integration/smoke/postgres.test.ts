// PostgreSQL is ready for CDC: logical decoding with pgoutput, publications, replication slots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PG_URL } from '../../support/endpoints.js';

test('postgres runs with wal_level=logical and room for replication slots', async () => {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const settings = await client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('wal_level', 'max_replication_slots', 'max_wal_senders')`,
    );
    const byName = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
    assert.equal(byName.wal_level, 'logical');
    assert.ok(
      Number(byName.max_replication_slots) >= 20,
      `max_replication_slots is ${byName.max_replication_slots}`,
    );
    assert.ok(Number(byName.max_wal_senders) >= 20, `max_wal_senders is ${byName.max_wal_senders}`);
  } finally {
    await client.end();
  }
});

test('postgres creates and drops a pgoutput replication slot and a publication', async () => {
  const client = new pg.Client({ connectionString: PG_URL });
  const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
  const table = `smoke_orders_${suffix}`;
  const publication = `smoke_pub_${suffix}`;
  const slot = `smoke_slot_${suffix}`;
  await client.connect();
  try {
    await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, note text)`);
    await client.query(`CREATE PUBLICATION ${publication} FOR TABLE ${table}`);
    const created = await client.query<{ slot_name: string }>(
      `SELECT slot_name FROM pg_create_logical_replication_slot($1, 'pgoutput')`,
      [slot],
    );
    assert.equal(created.rows[0].slot_name, slot);

    await client.query(`INSERT INTO ${table} VALUES (1, 'hello')`);
    // pgoutput speaks the binary protocol; peeking proves the slot decodes our change.
    const changes = await client.query(
      `SELECT count(*)::int AS n FROM pg_logical_slot_peek_binary_changes($1, NULL, NULL, 'proto_version', '1', 'publication_names', $2)`,
      [slot, publication],
    );
    assert.ok(changes.rows[0].n >= 3, `expected BEGIN, INSERT and COMMIT messages, got ${changes.rows[0].n}`);

    const slots = await client.query(
      `SELECT plugin, slot_type FROM pg_replication_slots WHERE slot_name = $1`,
      [slot],
    );
    assert.deepEqual(slots.rows, [{ plugin: 'pgoutput', slot_type: 'logical' }]);
  } finally {
    await client
      .query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`, [
        slot,
      ])
      .catch(() => {});
    await client.query(`DROP PUBLICATION IF EXISTS ${publication}`).catch(() => {});
    await client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
    const left = await client.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = $1`, [slot]);
    await client.end();
    assert.equal(left.rowCount, 0, 'the slot must be dropped, or WAL piles up for good');
  }
});
