// The pieces of the CDC source's automatic reconnect that need no server: which errors are a lost
// connection, the errors.max.retries budget, the options, and the stream reader resuming on a new
// replication connection without queueing an event twice or dropping one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { SluiceError, Struct, type SourceRecord } from '../../../../runtime/api/index.js';
import { cdcSettings, type CdcSettings } from '../../../../connectors/postgres/cdc/config.js';
import { isConnectionLoss, StreamEndedError } from '../../../../connectors/postgres/cdc/connection-loss.js';
import { CaptureFilters } from '../../../../connectors/postgres/cdc/filters.js';
import type { Lsn } from '../../../../connectors/postgres/cdc/lsn.js';
import { PgTypeRegistry } from '../../../../connectors/postgres/cdc/pg-types.js';
import type {
  PgOutputMessage,
  RelationMessage,
} from '../../../../connectors/postgres/cdc/pgoutput-messages.js';
import { RecordQueue } from '../../../../connectors/postgres/cdc/record-queue.js';
import { RetryBudget } from '../../../../connectors/postgres/cdc/retry-budget.js';
import { StreamReader, type RelationModels } from '../../../../connectors/postgres/cdc/stream-reader.js';
import { buildTableModel, type TableModel } from '../../../../connectors/postgres/cdc/table-model.js';

const BASE_CONFIG = {
  'database.hostname': 'db.example',
  'database.user': 'cdc',
  'database.dbname': 'shop',
  'topic.prefix': 'shop',
};

function serverError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

test('a lost connection is told apart from a server verdict by SQLSTATE, system code or a closed socket', () => {
  const terminated = serverError('57P01', 'terminating connection due to administrator command');
  assert.equal(isConnectionLoss(terminated, false), true, 'pg_terminate_backend / fast shutdown');
  assert.equal(isConnectionLoss(serverError('57P03', 'the database system is starting up'), true), true);
  assert.equal(isConnectionLoss(serverError('08006', 'connection failure'), false), true);
  assert.equal(isConnectionLoss(serverError('53300', 'too many clients already'), true), true);
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  assert.equal(isConnectionLoss(refused, true), true);
  assert.equal(isConnectionLoss(new Error('Connection terminated unexpectedly'), true), true);
  assert.equal(isConnectionLoss(new StreamEndedError(), false), true);

  // Real answers from the server stay fatal even when it closes the socket after them.
  assert.equal(isConnectionLoss(serverError('42704', 'publication "p" does not exist'), true), false);
  assert.equal(
    isConnectionLoss(serverError('55006', 'replication slot "s" is active for PID 7'), true),
    false,
  );
  assert.equal(isConnectionLoss(serverError('28P01', 'password authentication failed'), true), false);
  assert.equal(isConnectionLoss(serverError('42501', 'permission denied to start WAL sender'), true), false);
  assert.equal(isConnectionLoss(new SluiceError('PG_CDC_WAL_LEVEL', ['replica']), true), false);
  assert.equal(isConnectionLoss(new TypeError('a decoding bug'), false), false);
});

test('errors.max.retries: -1 retries for ever, 0 never, n at most n times in a row', () => {
  const unlimited = new RetryBudget(-1);
  for (let i = 1; i <= 1000; i++) assert.equal(unlimited.take(), i);
  assert.equal(unlimited.limit, 'unlimited');

  assert.equal(new RetryBudget(0).take(), null);

  const three = new RetryBudget(3);
  assert.deepEqual([three.take(), three.take(), three.take(), three.take()], [1, 2, 3, null]);
  assert.equal(three.attempts, 3);
  three.reset();
  assert.equal(three.take(), 1, 'the count starts over once changes flow again');
});

test('reconnect options default to Debezium values and reject nonsense', () => {
  const settings = cdcSettings(BASE_CONFIG);
  assert.equal(settings.maxRetries, -1);
  assert.equal(settings.retryWaitMs, 10_000);
  const tuned = cdcSettings({
    ...BASE_CONFIG,
    'errors.max.retries': '5',
    'retriable.restart.connector.wait.ms': '500',
  });
  assert.equal(tuned.maxRetries, 5);
  assert.equal(tuned.retryWaitMs, 500);
  assert.throws(() => cdcSettings({ ...BASE_CONFIG, 'errors.max.retries': '-2' }), /errors\.max\.retries/);
  assert.throws(
    () => cdcSettings({ ...BASE_CONFIG, 'retriable.restart.connector.wait.ms': 'soon' }),
    /retriable\.restart\.connector\.wait\.ms/,
  );
});

/** Models for one int4 primary key column, built the way ModelCache builds them. */
class OneColumnModels implements RelationModels {
  private readonly models = new Map<number, TableModel>();
  private readonly columns = new Map<number, readonly string[]>();

  constructor(private readonly settings: CdcSettings) {}

  async onRelation(message: RelationMessage): Promise<void> {
    const int4 = { oid: 23, name: 'int4', kind: 'b', category: 'N', element: 0, enums: null };
    const types = new PgTypeRegistry({ query: async () => ({ rows: [int4] }) } as unknown as pg.Client);
    const filters = new CaptureFilters(this.settings);
    this.columns.set(
      message.relationId,
      message.columns.map((c) => c.name),
    );
    this.models.set(
      message.relationId,
      await buildTableModel(
        {
          relationId: message.relationId,
          schema: message.schema,
          table: message.table,
          columns: message.columns.map((c) => ({ ...c, notNull: true, defaultExpression: null })),
          primaryKey: ['id'],
        },
        types,
        {
          topicPrefix: this.settings.topicPrefix,
          filters,
          keyColumns: [],
          decimalMode: 'precise',
          timePrecisionMode: 'adaptive',
        },
      ),
    );
  }

  model(relationId: number): TableModel | null | undefined {
    return this.models.get(relationId);
  }

  columnsOf(relationId: number): readonly string[] {
    return this.columns.get(relationId) ?? [];
  }
}

const RELATION: RelationMessage = {
  tag: 'relation',
  relationId: 16400,
  schema: 'app',
  table: 'orders',
  replicaIdentity: 'd',
  columns: [{ isKey: true, name: 'id', typeOid: 23, typeModifier: -1 }],
};

type Step = readonly [PgOutputMessage, Lsn];
const begin = (xid: number, finalLsn: Lsn): Step => [
  { tag: 'begin', xid, finalLsn, commitTimeMicros: 1_000_000n },
  finalLsn,
];
const insert = (id: number, lsn: Lsn): Step => [
  { tag: 'insert', relationId: RELATION.relationId, newTuple: [{ kind: 'text', text: String(id) }] },
  lsn,
];
const commit = (commitLsn: Lsn): Step => [
  { tag: 'commit', commitLsn, endLsn: commitLsn + 8n, commitTimeMicros: 1_000_000n },
  commitLsn,
];
const relation: Step = [RELATION, 0n];

function describe(record: SourceRecord): string {
  const value = record.value as Struct;
  if (record.topic === 'shop.transaction') return `${String(value.get('status'))}`;
  const after = value.get('after') as Struct;
  const tx = value.get('transaction') as Struct | null;
  return `c${String(after.get('id'))}${tx === null ? '' : `#${String(tx.get('total_order'))}`}`;
}

test('after a reconnect the replay from the slot position is skipped: each event once, in order, the cut transaction continued', async () => {
  const settings = cdcSettings({ ...BASE_CONFIG, 'provide.transaction.metadata': 'true' });
  const queue = new RecordQueue(1000);
  const reader = new StreamReader(settings, new OneColumnModels(settings), queue, null, []);
  const feed = async (steps: readonly Step[]): Promise<void> => {
    for (const [message, lsn] of steps) await reader.handle(message, lsn);
  };

  // First connection: transaction 1 complete, transaction 2 cut after two of its three inserts.
  await feed([begin(1, 100n), relation, insert(1, 90n), insert(2, 95n), commit(100n)]);
  await feed([begin(2, 200n), insert(3, 150n), insert(4, 160n)]);

  // New connection: the server resends from the slot's confirmed position (here: everything), with Relation
  // messages again, then carries on with new transactions.
  reader.reconnected(new OneColumnModels(settings));
  await feed([begin(1, 100n), relation, insert(1, 90n), insert(2, 95n), commit(100n)]);
  await feed([begin(2, 200n), relation, insert(3, 150n), insert(4, 160n), insert(5, 170n), commit(200n)]);
  await feed([begin(3, 300n), insert(6, 250n), commit(300n)]);

  const items = queue.take(1000);
  const records = items.flatMap((i) => (i.kind === 'record' ? [describe(i.record)] : []));
  assert.deepEqual(records, [
    'BEGIN',
    'c1#1',
    'c2#2',
    'END',
    'BEGIN',
    'c3#1',
    'c4#2',
    'c5#3',
    'END',
    'BEGIN',
    'c6#1',
    'END',
  ]);
  const lastEnd = items.filter((i) => i.kind === 'record' && i.record.topic === 'shop.transaction')[3];
  assert.ok(lastEnd?.kind === 'record');
  assert.equal(
    (lastEnd.record.value as Struct).get('event_count'),
    3,
    'END of the cut transaction counts all',
  );
  assert.deepEqual(reader.lastPosition?.endLsn, 308n);
  assert.equal(reader.changeEvents, 6, 'skipped replays do not count as new change events');
});

test('a reconnect right after a commit replays nothing twice and loses nothing', async () => {
  const settings = cdcSettings(BASE_CONFIG);
  const queue = new RecordQueue(1000);
  const reader = new StreamReader(settings, new OneColumnModels(settings), queue, null, []);
  for (const [m, lsn] of [begin(1, 100n), relation, insert(1, 90n), commit(100n)])
    await reader.handle(m, lsn);
  reader.reconnected(new OneColumnModels(settings));
  for (const [m, lsn] of [
    begin(1, 100n),
    relation,
    insert(1, 90n),
    commit(100n),
    begin(2, 200n),
    insert(2, 150n),
    commit(200n),
  ])
    await reader.handle(m, lsn);
  const ids = queue
    .take(1000)
    .flatMap((i) =>
      i.kind === 'record' ? [((i.record.value as Struct).get('after') as Struct).get('id')] : [],
    );
  assert.deepEqual(ids, [1, 2]);
});
