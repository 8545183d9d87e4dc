import type { KafkaMessage } from 'kafkajs';
import { orderedHeadersOf, type KafkajsHeaders } from './kafkajs-record-format.js';
import type { ConsumedMessage } from './types.js';

/**
 * A record as kafkajs hands it out, in runtime/kafka's client-agnostic shape. kafkajs does not tell a
 * batch's timestamp type, so every timestamp is reported as CreateTime.
 */
export function toConsumedMessage(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
  return {
    topic,
    partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    timestampType: 'CreateTime',
    key: m.key ?? null,
    value: m.value ?? null,
    headers: orderedHeadersOf(m.headers as KafkajsHeaders | undefined),
  };
}
