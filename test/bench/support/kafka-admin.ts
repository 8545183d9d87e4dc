import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KAFKA_BOOTSTRAP, kafkaBrokers } from '../../support/endpoints.js';

/** An admin client of the benchmark driver itself (topic setup and end-offset watching). */
export async function connectAdmin(): Promise<{ kafka: Kafka; admin: Admin }> {
  const kafka = new Kafka({
    clientId: 'sluice-bench',
    brokers: kafkaBrokers(KAFKA_BOOTSTRAP),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  return { kafka, admin };
}

export async function createTopic(admin: Admin, topic: string, partitions: number): Promise<void> {
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
}

/** Frees the disk a run used; a failure here does not spoil the measurement. */
export async function deleteTopic(admin: Admin, topic: string): Promise<void> {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
}

/** A suffix that keeps topic and group names of separate benchmark invocations apart. */
export const RUN_ID = `${Date.now().toString(36)}-${process.pid}`;
