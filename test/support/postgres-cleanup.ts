import pg from 'pg';
import { PG_URL } from './endpoints.js';

/**
 * Drops a CDC test's replication slot (ending whichever backend still holds it, e.g. a killed worker's
 * walsender) and then its database, as the superuser on PG_URL. A slot that is already gone is fine.
 */
export async function dropSlotAndDatabase(slot: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(
      'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL',
      [slot],
    );
    await admin
      .query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [
        slot,
      ])
      .catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
