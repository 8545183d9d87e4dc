import {
  SluiceError,
  type AssignedConsumer,
  type ConsumedMessage,
  type KafkaAccess,
  type KafkaClusterClient,
  type Logger,
} from '../../../runtime/api/index.js';
import type { CdcSettings } from './config.js';
import { parseSignal, type Signal } from './signals.js';

const POLL_WAIT_MS = 500;

/** A signal record's value: `{"type": ..., "data": {...}}` (data may also be JSON text), with an optional id. */
function signalOf(message: ConsumedMessage): Signal | null {
  if (message.value === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(message.value.toString('utf8'));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  const data = record['data'];
  const id = typeof record['id'] === 'string' ? record['id'] : `kafka-${message.partition}-${message.offset}`;
  return parseSignal(
    id,
    typeof record['type'] === 'string' ? record['type'] : '',
    typeof data === 'string' ? data : JSON.stringify(data ?? {}),
  );
}

/**
 * Debezium's Kafka signal channel: records of `signal.kafka.topic` whose key is the connector's topic.prefix
 * are signals, read through the runtime's Kafka access. As in Debezium the topic has one partition: it is
 * read after the last signal the committed offsets say was handled (`incremental_snapshot_signal_offset`),
 * so a signal sent while the task was down is taken when it starts; from its end when none was handled yet.
 * Further partitions, if any, are read from their end.
 */
export class KafkaSignalChannel {
  private client: KafkaClusterClient | null = null;
  private consumer: AssignedConsumer | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly settings: CdcSettings,
    private readonly access: KafkaAccess,
    private readonly logger: Logger,
    /** `offset`: the signal's offset when it is in partition 0 (the one whose position the offsets keep). */
    private readonly onSignal: (signal: Signal, offset: number | null) => void,
    private readonly fail: (error: unknown) => void,
    /** Where to start reading partition 0; null: at its end. */
    private readonly resumeOffset: number | null,
  ) {}

  async start(): Promise<void> {
    const { signalKafkaTopic: topic, signalKafkaBootstrapServers: bootstrap } = this.settings;
    if (bootstrap === '')
      throw new SluiceError('CONNECT_ERROR', [
        'signal.enabled.channels includes kafka: set signal.kafka.bootstrap.servers too',
      ]);
    const client = this.access.connect({ 'bootstrap.servers': bootstrap });
    this.client = client;
    const admin = await client.admin();
    let ends;
    try {
      if (!(await admin.listTopics()).includes(topic))
        throw new SluiceError('CONNECT_ERROR', [
          `the Kafka signal topic ${topic} does not exist on ${bootstrap}: create it (or set signal.kafka.topic)`,
        ]);
      ends = await admin.endOffsets(topic);
    } finally {
      await admin.close();
    }
    if (ends.length > 1)
      this.logger.warn(
        `Kafka signal topic ${topic} has ${ends.length} partitions: only partition 0's position is kept across restarts (Debezium requires one partition)`,
      );
    const startOf = (partition: number, end: number): number =>
      partition === 0 && this.resumeOffset !== null ? Math.min(this.resumeOffset, end) : end;
    this.consumer = await client.assignedConsumer({
      partitions: ends.map((e) => ({
        topic,
        partition: e.partition,
        offset: startOf(e.partition, e.offset),
      })),
    });
    this.logger.info(`Reading signals from Kafka topic ${topic} (key ${this.settings.topicPrefix})`);
    this.loop = this.run(this.consumer);
  }

  private async run(consumer: AssignedConsumer): Promise<void> {
    try {
      while (!this.stopped) {
        for (const message of await consumer.poll(POLL_WAIT_MS, 100)) {
          if (message.key?.toString('utf8') !== this.settings.topicPrefix) continue;
          const signal = signalOf(message);
          if (signal === null) {
            this.logger.warn(
              `Kafka signal at ${message.partition}/${message.offset} is not {"type", "data"} JSON, ignored`,
            );
            continue;
          }
          this.onSignal(signal, message.partition === 0 ? message.offset : null);
        }
      }
    } catch (error) {
      if (!this.stopped) this.fail(error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.consumer?.close().catch(() => undefined);
    await this.client?.close().catch(() => undefined);
    this.consumer = null;
    this.client = null;
  }
}
