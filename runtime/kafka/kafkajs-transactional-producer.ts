import type { Producer, Transaction } from 'kafkajs';
import { SluiceError } from '../errors/sluice-error.js';
import { kafkaError } from './kafka-errors.js';
import { KafkajsProducer } from './kafkajs-producer.js';
import type { OutgoingMessage, ProducedMetadata, TransactionalProducer } from './types.js';

/** Broker error types that say a newer producer registered the same transactional id. */
const FENCED_TYPES: ReadonlySet<string> = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);

/** True when `error` (or what it wraps) says this producer was fenced by a newer one with its transactional id. */
export function isFencedError(error: unknown, depth = 0): boolean {
  if (error instanceof SluiceError) return error.code === 'KAFKA_PRODUCER_FENCED';
  if (error === null || typeof error !== 'object' || depth > 8) return false;
  const shape = error as { type?: unknown; code?: unknown; cause?: unknown; message?: unknown };
  if (typeof shape.type === 'string' && FENCED_TYPES.has(shape.type)) return true;
  // PRODUCER_FENCED (90) is newer than kafkajs's error table, which reports it by number only.
  if (shape.code === 90) return true;
  return shape.cause !== undefined && shape.cause !== error && isFencedError(shape.cause, depth + 1);
}

/** The registry error for a failed transactional call: fenced, or what kafkaError says. */
export function transactionError(transactionalId: string, operation: string, error: unknown): SluiceError {
  if (isFencedError(error))
    return new SluiceError('KAFKA_PRODUCER_FENCED', [transactionalId, `${operation}: ${String(error)}`], {
      cause: error,
    });
  return kafkaError(`${operation} (transactional id ${transactionalId})`, error);
}

/**
 * A kafkajs idempotent producer used through transactions. Sends reuse KafkajsProducer (its partitioner
 * and per-message metadata) aimed at the open transaction instead of the producer.
 */
export class KafkajsTransactionalProducer implements TransactionalProducer {
  private transaction: Transaction | null = null;
  private readonly sender: KafkajsProducer;

  constructor(
    readonly transactionalId: string,
    private readonly producer: Producer,
    partitionCount: (topic: string) => Promise<number>,
    options: ConstructorParameters<typeof KafkajsProducer>[2],
  ) {
    this.sender = new KafkajsProducer(
      {
        sendBatch: (batch) => this.open('sending').sendBatch(batch),
        disconnect: () => producer.disconnect(),
      },
      partitionCount,
      options,
    );
  }

  private open(operation: string): Transaction {
    if (this.transaction === null)
      throw new SluiceError('KAFKA_FATAL', [`${operation} outside a transaction (${this.transactionalId})`]);
    return this.transaction;
  }

  async beginTransaction(): Promise<void> {
    if (this.transaction !== null)
      throw new SluiceError('KAFKA_FATAL', [`a transaction of ${this.transactionalId} is already open`]);
    try {
      this.transaction = await this.producer.transaction();
    } catch (error) {
      throw transactionError(this.transactionalId, 'beginning a transaction', error);
    }
  }

  async send(messages: readonly OutgoingMessage[]): Promise<ProducedMetadata[]> {
    try {
      return await this.sender.send(messages);
    } catch (error) {
      throw isFencedError(error) || isFencedError((error as { cause?: unknown }).cause)
        ? transactionError(this.transactionalId, 'sending', (error as { cause?: unknown }).cause ?? error)
        : error;
    }
  }

  async commitTransaction(): Promise<void> {
    const transaction = this.open('committing');
    this.transaction = null;
    try {
      await transaction.commit();
    } catch (error) {
      throw transactionError(this.transactionalId, 'committing a transaction', error);
    }
  }

  async abortTransaction(): Promise<void> {
    const transaction = this.transaction;
    this.transaction = null;
    if (transaction === null || !transaction.isActive()) return;
    try {
      await transaction.abort();
    } catch (error) {
      throw transactionError(this.transactionalId, 'aborting a transaction', error);
    }
  }

  async close(): Promise<void> {
    // An open transaction left behind would hold back read_committed readers until it times out.
    await this.abortTransaction().catch(() => undefined);
    await this.producer.disconnect();
  }
}
