import type { SinkOffsetChange } from '../api/connector.js';
import type { ConnectorPlugin } from '../api/plugin.js';
import type { JsonObject } from '../api/json.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { KafkaAdmin, PartitionOffset } from '../kafka/types.js';
import type { OffsetStore, SourceOffsetEntry } from '../storage/offset-store.js';
import type { ConnectorOffset, ConnectorOffsets } from './rest-types.js';

export const OFFSETS_ALTERED_MESSAGE = 'The offsets for this connector have been altered successfully';
export const OFFSETS_RESET_MESSAGE = 'The offsets for this connector have been reset successfully';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The consumer group a sink connector commits to. */
export function sinkGroupId(name: string, config: Readonly<Record<string, string>>): string {
  return config['consumer.override.group.id'] ?? `connect-${name}`;
}

/** GET /connectors/{c}/offsets, in Connect's shapes for sources and sinks. */
export async function readConnectorOffsets(args: {
  name: string;
  plugin: ConnectorPlugin;
  config: Readonly<Record<string, string>>;
  offsetStore: OffsetStore;
  admin: () => Promise<KafkaAdmin>;
}): Promise<ConnectorOffsets> {
  if (args.plugin.type === 'source') {
    const entries = await args.offsetStore.allOffsets(args.name);
    return { offsets: entries.map((e) => ({ partition: e.partition, offset: e.offset })) };
  }
  const admin = await args.admin();
  try {
    const committed = await admin.committedOffsets(sinkGroupId(args.name, args.config));
    return {
      offsets: committed.map((o) => ({
        partition: { kafka_topic: o.topic, kafka_partition: o.partition },
        offset: { kafka_offset: o.offset },
      })),
    };
  } finally {
    await admin.close();
  }
}

function parseSinkOffset(
  entry: ConnectorOffset,
  index: number,
): PartitionOffset | { topic: string; partition: number; reset: true } {
  const topic = entry.partition['kafka_topic'];
  const partition = entry.partition['kafka_partition'];
  if (typeof topic !== 'string' || topic === '') {
    throw new SluiceError('INVALID_OFFSETS', [
      `offsets[${index}].partition.kafka_topic must be a non-empty string`,
    ]);
  }
  if (typeof partition !== 'number' || !Number.isInteger(partition) || partition < 0) {
    throw new SluiceError('INVALID_OFFSETS', [
      `offsets[${index}].partition.kafka_partition must be a non-negative integer`,
    ]);
  }
  if (entry.offset === null) return { topic, partition, reset: true };
  const offset = entry.offset['kafka_offset'];
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw new SluiceError('INVALID_OFFSETS', [
      `offsets[${index}].offset.kafka_offset must be a non-negative integer`,
    ]);
  }
  return { topic, partition, offset };
}

/** Tells a sink that keeps offsets of its own (Connect's SinkConnector.alterOffsets) before the group changes. */
async function alterSinkOffsets(
  plugin: ConnectorPlugin,
  resolveConfig: (config: Readonly<Record<string, string>>) => Promise<Record<string, string>>,
  config: Readonly<Record<string, string>>,
  offsets: readonly SinkOffsetChange[],
): Promise<void> {
  if (plugin.type !== 'sink' || offsets.length === 0) return;
  const connector = plugin.createConnector();
  if (connector.alterOffsets) await connector.alterOffsets(await resolveConfig(config), offsets);
}

/** PATCH /connectors/{c}/offsets for a connector already known to be STOPPED. */
export async function alterConnectorOffsets(args: {
  name: string;
  plugin: ConnectorPlugin;
  config: Readonly<Record<string, string>>;
  offsets: ConnectorOffsets;
  offsetStore: OffsetStore;
  admin: () => Promise<KafkaAdmin>;
  resolveConfig: (config: Readonly<Record<string, string>>) => Promise<Record<string, string>>;
}): Promise<void> {
  if (!Array.isArray(args.offsets.offsets) || args.offsets.offsets.length === 0) {
    throw new SluiceError('INVALID_OFFSETS', ['the request body must contain a non-empty "offsets" array']);
  }
  if (args.plugin.type === 'source') {
    const entries: SourceOffsetEntry[] = args.offsets.offsets.map((e, i) => {
      if (!isPlainObject(e.partition))
        throw new SluiceError('INVALID_OFFSETS', [`offsets[${i}].partition must be an object`]);
      if (e.offset !== null && !isPlainObject(e.offset)) {
        throw new SluiceError('INVALID_OFFSETS', [`offsets[${i}].offset must be an object or null`]);
      }
      return { partition: e.partition as JsonObject, offset: e.offset as JsonObject | null };
    });
    const connector = args.plugin.createConnector();
    if (connector.alterOffsets) {
      await connector.alterOffsets(args.config, new Map(entries.map((e) => [e.partition, e.offset])));
    }
    await args.offsetStore.write(args.name, entries);
    return;
  }
  const parsed = args.offsets.offsets.map(parseSinkOffset);
  if (parsed.some((p) => 'reset' in p)) {
    throw new SluiceError('INVALID_OFFSETS', [
      'resetting single sink partitions (offset null) is not supported; use DELETE /connectors/{name}/offsets to reset all of them',
    ]);
  }
  await alterSinkOffsets(args.plugin, args.resolveConfig, args.config, parsed as PartitionOffset[]);
  const admin = await args.admin();
  try {
    await admin.setCommittedOffsets(sinkGroupId(args.name, args.config), parsed as PartitionOffset[]);
  } finally {
    await admin.close();
  }
}

/** DELETE /connectors/{c}/offsets for a connector already known to be STOPPED. */
export async function resetConnectorOffsets(args: {
  name: string;
  plugin: ConnectorPlugin;
  config: Readonly<Record<string, string>>;
  offsetStore: OffsetStore;
  admin: () => Promise<KafkaAdmin>;
  resolveConfig: (config: Readonly<Record<string, string>>) => Promise<Record<string, string>>;
}): Promise<void> {
  if (args.plugin.type === 'source') {
    const entries = await args.offsetStore.allOffsets(args.name);
    await args.offsetStore.write(
      args.name,
      entries.map((e) => ({ partition: e.partition, offset: null })),
    );
    return;
  }
  const admin = await args.admin();
  try {
    const group = sinkGroupId(args.name, args.config);
    const committed = await admin.committedOffsets(group);
    await alterSinkOffsets(
      args.plugin,
      args.resolveConfig,
      args.config,
      committed.map((o) => ({ topic: o.topic, partition: o.partition, offset: null })),
    );
    await admin.deleteGroup(group);
  } finally {
    await admin.close();
  }
}
