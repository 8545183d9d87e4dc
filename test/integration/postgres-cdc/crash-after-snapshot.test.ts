// Regression (issue 11, defect 1): a kill -9 within one offset.flush.interval.ms after "Snapshot completed"
// left no stored offset saying the snapshot finished; the restarted task dropped the slot (and with it every
// change made while the worker was down) and snapshotted again, so deletes were lost for ever.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sleep, waitFor, WorkerProcess, writeProperties } from '../../support/worker-process.js';
import { TopicTail } from '../../support/kafka-test-client.js';
import { cdcFixture, parseMessage, payloadOf, type CdcFixture, type ChangeMessage } from './cdc-fixture.js';

let fx: CdcFixture;
let worker: WorkerProcess | undefined;
let tail: TopicTail | undefined;

before(async () => {
  fx = await cdcFixture('snapcrash');
});

after(async () => {
  await tail?.stop();
  await worker?.terminate().catch(() => undefined);
  await worker?.dispose();
  await fx?.cleanup();
});

/** "<id>:<op>" of every change event (tombstones left out), in topic order. */
function changeList(messages: readonly ChangeMessage[]): string[] {
  return messages.flatMap((m) => {
    const p = payloadOf(m);
    if (p === null) return [];
    const row = (p.after ?? p.before) as { id: number };
    return [`${row.id}:${String(p.op)}`];
  });
}

test('a kill -9 right after the snapshot loses no change made while the worker was down', async () => {
  const { db, schema } = fx;
  await db.query(`CREATE TABLE ${schema}.items (id int PRIMARY KEY, v text NOT NULL)`);
  await db.query(`INSERT INTO ${schema}.items SELECT g, 'v' || g FROM generate_series(1, 10) g`);
  const name = `cdc-${fx.suffix}`;
  // No offset flush happens between the snapshot and the kill: the stored offsets say nothing yet.
  worker = await WorkerProcess.create({ properties: { 'offset.flush.interval.ms': '60000' } });
  const connectorFile = await writeProperties(join(worker.dir, 'cdc.properties'), {
    name,
    ...fx.connectorConfig(),
  });
  await worker.start([connectorFile]);
  await waitFor(() => worker!.output.includes('Snapshot completed'), 60_000, 'Snapshot completed');
  tail = await TopicTail.start(fx.topic('items'));
  const changes = (): string[] => changeList(tail!.messages.map(parseMessage));
  await waitFor(() => changes().length >= 10, 30_000, 'the snapshot in Kafka');

  await db.query(`DELETE FROM ${schema}.items WHERE id = 1`);
  await waitFor(() => changes().includes('1:d'), 30_000, 'the delete of row 1 in Kafka');
  const beforeKill = changes().length;
  await sleep(1_000);
  await worker.kill9();

  await db.query(`DELETE FROM ${schema}.items WHERE id = 2`);
  await db.query(`UPDATE ${schema}.items SET v = 'changed' WHERE id = 3`);
  await worker.start([connectorFile]);
  // A row written after the restart marks the point by which every earlier change must have arrived.
  await db.query(`INSERT INTO ${schema}.items VALUES (11, 'after restart')`);
  await waitFor(() => changes().includes('11:c'), 90_000, 'the insert made after the restart in Kafka');
  const messages = tail.messages.map(parseMessage);
  const restarted = changes().slice(beforeKill);
  const seen = restarted.join(' ');
  assert.ok(restarted.includes('2:d'), `the delete made while the worker was down arrived: ${seen}`);
  assert.ok(restarted.includes('3:u'), `the update made while the worker was down arrived: ${seen}`);
  assert.ok(
    restarted.indexOf('2:d') < restarted.indexOf('11:c') &&
      restarted.indexOf('3:u') < restarted.indexOf('11:c'),
    `in commit order: ${seen}`,
  );

  // Applied in order, the topic gives back the table exactly.
  const state = new Map<number, unknown>();
  for (const m of messages) {
    const p = payloadOf(m);
    if (p === null) continue;
    const row = (p.after ?? p.before) as { id: number };
    if (p.op === 'd') state.delete(row.id);
    else state.set(row.id, (p.after as { v: string }).v);
  }
  const table = await db.query<{ id: number; v: string }>(`SELECT id, v FROM ${schema}.items ORDER BY id`);
  assert.deepEqual(
    [...state.entries()].sort(([a], [b]) => a - b),
    table.rows.map((r) => [r.id, r.v]),
  );
  await worker.terminate();
});
