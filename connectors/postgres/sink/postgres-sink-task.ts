import pg from 'pg';
import {
  connectError,
  consumedEnds,
  consumedPartitionKey,
  retriableError,
  topicPartitionKey,
  type ConnectorConfig,
  type SinkRecord,
  type SinkTask,
  type SinkTaskContext,
  type TopicPartition,
  type TopicPartitionOffset,
} from '../../../runtime/api/index.js';
import { BatchApplier } from './batch-applier.js';
import { ChangeInterpreter, UnusableRecordError, type Change } from './change-event.js';
import { postgresSinkSettings, type PostgresSinkSettings } from './config.js';
import { describeConnection, parseConnectionUrl } from './connection-url.js';
import { OffsetLedger, offsetsTableId } from './offset-ledger.js';
import { describePgError, errorCodeOf, isConnectionProblem, isStaleShape } from './pg-errors.js';
import { TableCatalog } from './table-catalog.js';

const CONNECT_TIMEOUT_MS = 10_000;

function originOf(record: SinkRecord): string {
  return `${record.topic}-${record.kafkaPartition}@${record.kafkaOffset}`;
}

/**
 * Applies each put() in one transaction and commits it before returning, so the offsets the worker commits
 * afterwards never run ahead of the data. The transaction also stores the consumed offsets in the target
 * (offsets.storage.table); open() seeks there, and records below them are skipped, so a redelivered record
 * is never written twice, whatever the insert mode (exactly-once). flush() has nothing left to do.
 */
export class PostgresSinkTask implements SinkTask {
  private settings: PostgresSinkSettings | null = null;
  private context: SinkTaskContext | null = null;
  private pool: pg.Pool | null = null;
  private interpreter: ChangeInterpreter | null = null;
  private catalog: TableCatalog | null = null;
  private applier: BatchApplier | null = null;
  private ledger: OffsetLedger | null = null;
  /** Next offset per consumed partition known to be in the database (a cache of the ledger: saves work). */
  private readonly positions = new Map<string, number>();
  private target = '';
  /** When the current run of retriable failures began (null while writes succeed). */
  private failingSince: number | null = null;

  start(config: ConnectorConfig, context: SinkTaskContext): void {
    const settings = postgresSinkSettings(config);
    const connection = parseConnectionUrl(settings.connectionUrl, settings.username, settings.password);
    this.settings = settings;
    this.context = context;
    this.target = describeConnection(connection);
    this.pool = new pg.Pool({
      host: connection.host,
      port: connection.port,
      database: connection.database,
      user: connection.user,
      password: connection.password,
      ssl: connection.ssl ? { rejectUnauthorized: false } : undefined,
      application_name: connection.applicationName ?? `sluice-${context.connectorName}-${context.taskId}`,
      options: connection.searchPath === undefined ? undefined : `-c search_path=${connection.searchPath}`,
      // One transaction at a time per task: one connection is all it needs.
      max: 1,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 0,
    });
    // An idle connection that dies (server restart) must not crash the worker; the next put reconnects.
    this.pool.on('error', (error) =>
      context.logger.warn(`idle connection to ${this.target} failed`, { error: String(error) }),
    );
    this.interpreter = new ChangeInterpreter(settings);
    this.catalog = new TableCatalog(settings.schemaEvolution);
    this.ledger = new OffsetLedger(
      offsetsTableId(settings.offsetsStorageTable, settings.quoteIdentifiers),
      context.connectorName,
    );
    this.applier = new BatchApplier(settings, this.catalog, this.ledger);
    context.logger.info(
      `Postgres sink writing to ${this.target} (insert.mode=${settings.insertMode}, primary.key.mode=${settings.primaryKeyMode}, offsets in ${this.ledger.label})`,
    );
  }

  /** Resumes each partition where the database says its data ends (when it has stored an offset for it). */
  async open(partitions: readonly TopicPartition[]): Promise<void> {
    let stored: Map<string, number>;
    try {
      stored = await this.withClient(async (client) => {
        await this.ledger!.ensureTable(client);
        return this.ledger!.read(client, partitions);
      });
    } catch (error) {
      // Not fatal: put() reads the stored offsets again in its transaction and skips what they cover.
      if (isConnectionProblem(error)) {
        this.context!.logger.warn(
          `could not read the stored offsets from ${this.target}; resuming from the consumer group's offsets`,
          { error: describePgError(error) },
        );
        return;
      }
      throw connectError(
        `Reading the stored offsets from ${this.ledger!.label} at ${this.target} failed: ${describePgError(error)}`,
        error,
      );
    }
    for (const tp of partitions) {
      const offset = stored.get(topicPartitionKey(tp));
      if (offset === undefined) continue;
      this.positions.set(topicPartitionKey(tp), offset);
      this.context!.offset(tp, offset);
    }
    if (stored.size > 0)
      this.context!.logger.info(`resuming from the offsets stored in ${this.ledger!.label}`, {
        offsets: [...stored].map(([tp, offset]) => `${tp}@${offset}`),
      });
  }

  close(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.positions.delete(topicPartitionKey(tp));
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    // Records the database already holds (redelivered): not even interpreted, so none is reported twice.
    const fresh = records.filter(
      (r) => r.originalKafkaOffset >= (this.positions.get(consumedPartitionKey(r)) ?? 0),
    );
    if (fresh.length === 0) return;
    const changes = await this.interpretAll(fresh);
    const ends = consumedEnds(fresh);
    try {
      await this.write(changes, ends);
      this.failingSince = null;
    } catch (error) {
      throw this.classify(error);
    }
    for (const end of ends) this.positions.set(topicPartitionKey(end), end.offset);
  }

  async flush(): Promise<void> {
    // put() commits before it returns.
  }

  async stop(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end().catch(() => undefined);
  }

  /** Records that cannot become a change (bad data) go to the errant record reporter before anything is written. */
  private async interpretAll(records: readonly SinkRecord[]): Promise<Change[]> {
    const changes: Change[] = [];
    for (const record of records) {
      try {
        const change = this.interpreter!.interpret(record);
        if (change !== null) changes.push(change);
      } catch (error) {
        if (!(error instanceof UnusableRecordError)) throw error;
        await this.reject(record, error);
      }
    }
    return changes;
  }

  private async write(changes: readonly Change[], ends: readonly TopicPartitionOffset[]): Promise<void> {
    await this.withClient((client) =>
      this.applier!.apply(client, changes, ends, (record, error) => this.reject(record, error)),
    );
  }

  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool!.connect();
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (error) {
      if (isConnectionProblem(error)) broken = error as Error;
      if (isStaleShape(error)) this.catalog!.forget();
      throw error;
    } finally {
      // A connection that failed mid-transaction is discarded rather than reused.
      client.release(broken);
    }
  }

  /** Sends a record the database refused to the DLQ (per errors.tolerance); with nowhere to send it, fails the task. */
  private async reject(record: SinkRecord, error: Error): Promise<void> {
    const reason = `Record ${originOf(record)} could not be written: ${describePgError(error)}`;
    const reporter = this.context!.errantRecordReporter;
    if (reporter === null)
      throw connectError(
        `${reason} (set errors.tolerance=all with errors.deadletterqueue.topic.name to route such records to a dead letter queue)`,
        error,
      );
    this.context!.logger.warn(`${reason}; reported to the errant record reporter`);
    await reporter(record, new Error(reason, { cause: error }));
  }

  private classify(error: unknown): Error {
    if (isConnectionProblem(error) || isStaleShape(error)) {
      const now = Date.now();
      this.failingSince ??= now;
      const failingFor = now - this.failingSince;
      const timeout = this.settings!.retryTimeoutMs;
      const reason = `${this.target}: ${describePgError(error)}`;
      if (timeout >= 0 && failingFor >= timeout) {
        return connectError(
          `Postgres at ${reason}; still failing after ${failingFor} ms, errors.retry.timeout=${timeout} ms`,
          error,
        );
      }
      return retriableError(`Postgres at ${reason}; the batch will be retried`, error);
    }
    if (errorCodeOf(error) === '42P10') {
      return connectError(
        `The target table has no primary key or unique index on the primary key columns, so insert.mode=${this.settings!.insertMode} cannot match rows: ${describePgError(error)}`,
        error,
      );
    }
    if (/^[0-9A-Z]{5}$/.test(errorCodeOf(error) ?? '')) {
      return connectError(`Postgres at ${this.target} rejected the batch: ${describePgError(error)}`, error);
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}
