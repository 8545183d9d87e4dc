/**
 * Kafka client quotas (KIP-546's AlterClientQuotas, API key 49), which kafkajs does not make: the request
 * is encoded here and sent on a broker connection of kafkajs's internal cluster. Version 0 is the one
 * every broker since Kafka 2.6 answers, and needs no flexible-version encoding.
 */
import type { Kafka } from 'kafkajs';
import { createInternalCluster } from './kafkajs-internal-cluster.js';
import type { ClientByteRateQuota } from './types.js';

const ALTER_CLIENT_QUOTAS = 49;

/** A quota the broker refused, with Kafka's error code (31: CLUSTER_AUTHORIZATION_FAILED). */
export class ClientQuotaError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ClientQuotaError';
  }
}

function kafkaString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

/** AlterClientQuotas v0: entries [entity [type name] ops [key value remove]] validate_only. */
export function encodeAlterClientQuotas(quotas: readonly ClientByteRateQuota[]): Buffer {
  const parts: Buffer[] = [int32(quotas.length)];
  for (const quota of quotas) {
    parts.push(int32(1), kafkaString('client-id'), kafkaString(quota.clientId));
    const ops: [string, number][] = [];
    if (quota.producerByteRate !== undefined) ops.push(['producer_byte_rate', quota.producerByteRate]);
    if (quota.consumerByteRate !== undefined) ops.push(['consumer_byte_rate', quota.consumerByteRate]);
    parts.push(int32(ops.length));
    for (const [key, value] of ops) {
      const number = Buffer.alloc(8);
      number.writeDoubleBE(value);
      parts.push(kafkaString(key), number, Buffer.from([0]));
    }
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

interface EntryResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/** The response's entries (throttle_time_ms, then [error_code error_message entity [type name]]). */
export function decodeAlterClientQuotas(raw: Buffer): EntryResult[] {
  let at = 4;
  const readString = (): string | null => {
    const length = raw.readInt16BE(at);
    at += 2;
    if (length < 0) return null;
    const value = raw.toString('utf8', at, at + length);
    at += length;
    return value;
  };
  const count = raw.readInt32BE(at);
  at += 4;
  const entries: EntryResult[] = [];
  for (let i = 0; i < count; i++) {
    const errorCode = raw.readInt16BE(at);
    at += 2;
    const errorMessage = readString();
    const entities = raw.readInt32BE(at);
    at += 4;
    for (let e = 0; e < entities; e++) {
      readString();
      readString();
    }
    entries.push({ errorCode, errorMessage });
  }
  return entries;
}

interface RawBroker {
  readonly connectionPool: {
    send(request: {
      request: {
        apiKey: number;
        apiVersion: number;
        apiName: string;
        encode(): Promise<{ buffer: Buffer }>;
      };
      response: {
        decode(raw: Buffer): Promise<EntryResult[]>;
        parse(data: EntryResult[]): Promise<EntryResult[]>;
      };
    }): Promise<EntryResult[]>;
  };
}

/** Sets the quotas on the cluster's controller; throws ClientQuotaError when the broker refuses one. */
export async function alterClientByteRateQuotas(
  kafka: Kafka,
  quotas: readonly ClientByteRateQuota[],
): Promise<void> {
  if (quotas.length === 0) return;
  const cluster = createInternalCluster(kafka) as unknown as {
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    refreshMetadata(): Promise<void>;
    findControllerBroker(): Promise<RawBroker>;
  };
  await cluster.connect();
  try {
    await cluster.refreshMetadata();
    const broker = await cluster.findControllerBroker();
    const entries = await broker.connectionPool.send({
      request: {
        apiKey: ALTER_CLIENT_QUOTAS,
        apiVersion: 0,
        apiName: 'AlterClientQuotas',
        encode: async () => ({ buffer: encodeAlterClientQuotas(quotas) }),
      },
      response: {
        decode: async (raw) => decodeAlterClientQuotas(raw),
        parse: async (data) => data,
      },
    });
    const refused = entries.find((e) => e.errorCode !== 0);
    if (refused !== undefined)
      throw new ClientQuotaError(
        refused.errorCode,
        `Kafka refused the client quota (error ${refused.errorCode}${refused.errorMessage ? `: ${refused.errorMessage}` : ''})`,
      );
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}
