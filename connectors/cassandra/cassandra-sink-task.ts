import cassandra from 'cassandra-driver';
import {
  SluiceError,
  retriableError,
  type ConnectorConfig,
  type SinkRecord,
  type SinkTask,
  type SinkTaskContext,
} from '../../runtime/api/index.js';
import { classifyCassandraError, describeCassandraError } from './cassandra-errors.js';
import { describeContactPoints, newCassandraClient } from './cassandra-client.js';
import { cassandraSinkSettings, type CassandraSinkSettings } from './config.js';
import { CqlValueError } from './cql-values.js';
import { tableTargets } from './table-settings.js';
import { TableWriter, loadTableShape, mappingProblems, type Write } from './table-writer.js';

interface PendingWrite {
  readonly record: SinkRecord;
  readonly write: Write;
}

function originOf(record: SinkRecord): string {
  return `${record.topic}-${record.kafkaPartition}@${record.kafkaOffset}`;
}

/**
 * Writes every put() before it returns, so the offsets the worker commits afterwards never run ahead of the
 * data. Writes to the same partition key of the same table go in unlogged batches of at most
 * maxNumberOfRecordsInBatch; everything else runs concurrently, up to maxConcurrentRequests. Order between
 * writes does not matter: each carries its own write time (see table-writer.ts).
 */
export class CassandraSinkTask implements SinkTask {
  private settings: CassandraSinkSettings | null = null;
  private context: SinkTaskContext | null = null;
  private client: cassandra.Client | null = null;
  private writers = new Map<string, TableWriter[]>();
  private target = '';
  private failingSince: number | null = null;
  private config: ConnectorConfig = {};

  start(config: ConnectorConfig, context: SinkTaskContext): void {
    this.settings = cassandraSinkSettings(config);
    this.context = context;
    this.config = config;
    this.target = describeContactPoints(this.settings.connection);
    this.client = newCassandraClient(
      this.settings.connection,
      `sluice-${context.connectorName}-${context.taskId}`,
    );
    context.logger.info(`Cassandra sink writing to ${this.target}`);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.ensureWriters();
      const pending = await this.plan(records);
      await this.execute(pending);
      this.failingSince = null;
    } catch (error) {
      throw this.classify(error);
    }
  }

  async flush(): Promise<void> {
    // put() finishes its writes before it returns.
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.shutdown().catch(() => undefined);
  }

  /** Connects and reads the tables' schema once (again after a failure). */
  private async ensureWriters(): Promise<void> {
    if (this.writers.size > 0) return;
    await this.client!.connect();
    const { targets, issues } = tableTargets(this.config);
    if (issues.length > 0)
      throw new SluiceError('CONNECT_ERROR', [issues.map((i) => `${i.key}: ${i.message}`).join('\n')]);
    const writers = new Map<string, TableWriter[]>();
    for (const target of targets) {
      const shape = await loadTableShape(this.client!, target.keyspace, target.table);
      if (typeof shape === 'string')
        throw new SluiceError('CASSANDRA_WRITE_FAILED', [
          this.target,
          `${target.keyspace}.${target.table}`,
          `${shape} (${target.prefix}.mapping)`,
        ]);
      const problems = mappingProblems(target, shape);
      if (problems.length > 0)
        throw new SluiceError('CASSANDRA_WRITE_FAILED', [
          this.target,
          `${target.keyspace}.${target.table}`,
          problems.join('; '),
        ]);
      writers.set(target.topic, [...(writers.get(target.topic) ?? []), new TableWriter(target, shape)]);
    }
    this.writers = writers;
  }

  /** Each record's writes; a record whose data does not fit goes to the errant record reporter. */
  private async plan(records: readonly SinkRecord[]): Promise<PendingWrite[]> {
    const pending: PendingWrite[] = [];
    const now = new Date();
    for (const record of records) {
      const writers = this.writers.get(record.topic) ?? [];
      try {
        const writes = writers.map((writer) => writer.writeFor(record, now));
        for (const write of writes) if (write !== null) pending.push({ record, write });
      } catch (error) {
        if (!(error instanceof CqlValueError)) throw error;
        await this.reject(record, error);
      }
    }
    return pending;
  }

  private async execute(pending: readonly PendingWrite[]): Promise<void> {
    const groups: PendingWrite[][] = [];
    const open = new Map<string, PendingWrite[]>();
    for (const item of pending) {
      const key = `${item.write.routing}|${item.write.consistency}`;
      let group = open.get(key);
      if (group === undefined || group.length >= this.settings!.maxRecordsInBatch) {
        group = [];
        open.set(key, group);
        groups.push(group);
      }
      group.push(item);
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < groups.length) await this.runGroup(groups[next++]!);
    };
    const lanes = Math.min(this.settings!.maxConcurrentRequests, groups.length);
    // All lanes run to the end even when one fails, so no write is left running behind a retry.
    const results = await Promise.allSettled(Array.from({ length: lanes }, worker));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async runGroup(group: readonly PendingWrite[]): Promise<void> {
    const client = this.client!;
    const consistency = group[0]!.write.consistency;
    try {
      if (group.length === 1) {
        await client.execute(group[0]!.write.cql, group[0]!.write.params, { prepare: true, consistency });
      } else {
        await client.batch(
          group.map((g) => ({ query: g.write.cql, params: g.write.params })),
          { prepare: true, logged: false, consistency },
        );
      }
    } catch (error) {
      if (classifyCassandraError(error) !== 'record') throw error;
      // Cassandra refused the data of one of them: write them one by one to find it.
      for (const item of group) {
        try {
          await client.execute(item.write.cql, item.write.params, { prepare: true, consistency });
        } catch (single) {
          if (classifyCassandraError(single) !== 'record') throw single;
          await this.reject(item.record, new Error(describeCassandraError(single), { cause: single }));
        }
      }
    }
  }

  /** Sends a record to the DLQ (per errors.tolerance); with nowhere to send it, fails the task. */
  private async reject(record: SinkRecord, error: Error): Promise<void> {
    const reason = `Record ${originOf(record)} could not be written: ${error.message}`;
    const reporter = this.context!.errantRecordReporter;
    if (reporter === null)
      throw new SluiceError(
        'CASSANDRA_WRITE_FAILED',
        [
          this.target,
          record.topic,
          `${reason} (set errors.tolerance=all with errors.deadletterqueue.topic.name to route such records to a dead letter queue)`,
        ],
        { cause: error },
      );
    this.context!.logger.warn(`${reason}; reported to the errant record reporter`);
    await reporter(record, new Error(reason, { cause: error }));
  }

  private classify(error: unknown): Error {
    if (error instanceof SluiceError) return error;
    const kind = classifyCassandraError(error);
    const reason = describeCassandraError(error);
    if (kind === 'authentication')
      return new SluiceError('CASSANDRA_AUTHENTICATION_FAILED', [this.target, reason], { cause: error });
    if (kind === 'retriable') {
      const now = Date.now();
      this.failingSince ??= now;
      const failingFor = now - this.failingSince;
      const timeout = this.settings!.retryTimeoutMs;
      if (timeout >= 0 && failingFor >= timeout)
        return new SluiceError(
          'CASSANDRA_UNREACHABLE',
          [
            this.target,
            `${reason}; still failing after ${failingFor} ms, errors.retry.timeout=${timeout} ms`,
          ],
          { cause: error },
        );
      return retriableError(`${this.target}: ${reason}; the batch will be retried`, error);
    }
    return new SluiceError('CASSANDRA_WRITE_FAILED', [this.target, 'its tables', reason], { cause: error });
  }
}
