import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { SluiceError } from '../../../../runtime/api/index.js';
import { checkServerReady } from '../../../../connectors/postgres/cdc/preflight.js';

function fakeClient(walLevel: string, role: { rolreplication: boolean; rolsuper: boolean }): pg.Client {
  const query = async (sql: string): Promise<{ rows: unknown[] }> =>
    sql.startsWith('SHOW') ? { rows: [{ wal_level: walLevel }] } : { rows: [role] };
  return { query } as unknown as pg.Client;
}

test('wal_level other than logical fails with the ALTER SYSTEM advice', async () => {
  await assert.rejects(
    checkServerReady(fakeClient('replica', { rolreplication: true, rolsuper: false }), 'app'),
    (error: unknown) => {
      assert.ok(error instanceof SluiceError);
      assert.equal(error.code, 'PG_CDC_WAL_LEVEL');
      assert.match(error.message, /wal_level is replica/);
      assert.match(error.message, /ALTER SYSTEM SET wal_level = logical/);
      assert.match(error.message, /restart/);
      return true;
    },
  );
});

test('a user without REPLICATION fails naming the user and the grant', async () => {
  await assert.rejects(
    checkServerReady(fakeClient('logical', { rolreplication: false, rolsuper: false }), 'app'),
    (error: unknown) => {
      assert.ok(error instanceof SluiceError);
      assert.equal(error.code, 'PG_CDC_NO_REPLICATION_PERMISSION');
      assert.match(error.message, /ALTER ROLE "app" REPLICATION/);
      return true;
    },
  );
});

test('a replication user on a logical server passes', async () => {
  await checkServerReady(fakeClient('logical', { rolreplication: true, rolsuper: false }), 'app');
});
