/**
 * Kafka as a capability the runtime lends to plugins. A connector never imports a Kafka client; when
 * it must reach a cluster itself (MirrorMaker-style replication reads another cluster), it asks the
 * runtime: `kafkaAccessOf(context).connect({ 'bootstrap.servers': ... })`. The shapes are the
 * runtime's client-agnostic ones, so swapping the Kafka client library never touches a connector.
 */
import { SluiceError } from '../errors/sluice-error.js';
import type { KafkaAccess } from '../kafka/types.js';

export type {
  AssignedConsumer,
  AssignedConsumerOptions,
  ClusterAdmin,
  CommittedOffset,
  ConsumedMessage,
  KafkaAccess,
  KafkaClusterClient,
  KafkaHeader,
  KafkaProducer,
  OutgoingMessage,
  PartitionOffset,
  PartitionRef,
  PartitionStart,
  ProducedMetadata,
  TopicSpec,
} from '../kafka/types.js';

/** A connector or task context from a runtime that lends Kafka access (the Sluice worker does). */
export interface KafkaAccessContext {
  readonly kafka: KafkaAccess;
}

/** The Kafka access the runtime put on this connector or task context; fails clearly when there is none. */
export function kafkaAccessOf(context: object): KafkaAccess {
  const kafka = (context as Partial<KafkaAccessContext>).kafka;
  if (kafka === undefined || typeof kafka.connect !== 'function') {
    throw new SluiceError('CONNECT_ERROR', [
      'this runtime does not lend Kafka access to connectors (context.kafka is missing)',
    ]);
  }
  return kafka;
}
