export * from './types.js';
export * from './client-config.js';
export { KafkajsClient } from './kafkajs-client.js';
export { KafkaDeadLetterQueueProducer } from './dead-letter-queue-producer.js';
