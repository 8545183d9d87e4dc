import type { JobType } from '../../api/job.js';
import type { JsonObject } from '../../api/json.js';
import type { Herder } from '../../cluster/herder.js';
import { SluiceError } from '../../errors/sluice-error.js';
import type { KafkaAdmin } from '../../kafka/types.js';

/** What a rewind needs of the herder: the same calls the REST offsets API makes. */
export type RewindHerder = Pick<
  Herder,
  'connectorInfo' | 'connectorStatus' | 'connectorOffsets' | 'alterConnectorOffsets'
>;

interface Move extends JsonObject {
  topic: string;
  partition: number;
  /** The committed offset now; null when the group never committed on this partition. */
  from: number | null;
  to: number;
}

const configSchema: JsonObject = {
  type: 'object',
  required: ['connector', 'timestamp'],
  properties: {
    connector: { type: 'string', minLength: 1 },
    timestamp: { type: 'string', minLength: 1 },
    'dry.run': { type: 'string', enum: ['true', 'false'] },
  },
  additionalProperties: false,
};

/** ISO-8601 with a zone, or epoch milliseconds; a bad or future time is a 400 naming the key. */
function timestampOf(config: Readonly<Record<string, string>>, now: number): number {
  const text = (config['timestamp'] ?? '').trim();
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    throw new SluiceError('JOB_CONFIG_INVALID', [
      'rewind',
      `'timestamp' ${text} is neither ISO-8601 (2026-01-31T12:00:00Z) nor epoch milliseconds`,
    ]);
  if (ms > now)
    throw new SluiceError('JOB_CONFIG_INVALID', [
      'rewind',
      `'timestamp' ${new Date(ms).toISOString()} is in the future: a rewind goes back in time`,
    ]);
  return ms;
}

async function assertStoppedSink(herder: RewindHerder, name: string): Promise<Record<string, string>> {
  const info = await herder.connectorInfo(name);
  if (info.type !== 'sink')
    throw new SluiceError('JOB_CONFIG_INVALID', [
      'rewind',
      `connector ${name} is a ${info.type} connector; only a sink's consumer offsets can be rewound`,
    ]);
  const state = (await herder.connectorStatus(name)).connector.state;
  if (state !== 'STOPPED')
    throw new SluiceError('JOB_CONFLICT', [
      `Connector ${name} is ${state}: stop it first (PUT /connectors/${name}/stop), rewind, then resume it`,
    ]);
  return info.config;
}

/**
 * `rewind`: a stopped sink connector's committed offsets set, per partition, to the first offset at or after
 * a time (ListOffsets by time), so that resumed it re-delivers from then. With `dry.run` (the default) it
 * only shows what would move.
 */
export function rewindJobType(herder: RewindHerder, admin: () => Promise<KafkaAdmin>): JobType {
  return {
    name: 'rewind',
    description: "A stopped sink connector's consumer offsets back (or forward) to a point in time",
    configSchema,
    async plan(config) {
      const timestamp = timestampOf(config, Date.now());
      await assertStoppedSink(herder, config['connector'] ?? '');
      return { units: [{ spec: { timestamp }, estimatedRecords: 0 }] };
    },
    async runUnit(config, unit, context) {
      const name = config['connector'] ?? '';
      const timestamp = Number(unit['timestamp']);
      const dryRun = (config['dry.run'] ?? 'true') !== 'false';
      // It may have been resumed since the job was planned: never move the offsets of a running sink.
      const connectorConfig = await assertStoppedSink(herder, name);
      const committed = new Map<string, number | null>();
      for (const entry of (await herder.connectorOffsets(name)).offsets) {
        const key = `${String(entry.partition['kafka_topic'])}\u0000${String(entry.partition['kafka_partition'])}`;
        const offset = entry.offset?.['kafka_offset'];
        committed.set(key, typeof offset === 'number' ? offset : null);
      }
      const topics = new Set(
        (connectorConfig['topics'] ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
      );
      for (const key of committed.keys()) topics.add(key.split('\u0000')[0]!);
      const client = await admin();
      const moves: Move[] = [];
      try {
        for (const topic of [...topics].sort()) {
          for (const target of await client.offsetsForTimestamp(topic, timestamp)) {
            const from = committed.get(`${topic}\u0000${target.partition}`) ?? null;
            moves.push({ topic, partition: target.partition, from, to: target.offset });
          }
        }
      } finally {
        await client.close();
      }
      if (!dryRun && moves.length > 0)
        await herder.alterConnectorOffsets(name, {
          offsets: moves.map((m) => ({
            partition: { kafka_topic: m.topic, kafka_partition: m.partition },
            offset: { kafka_offset: m.to },
          })),
        });
      await context.checkpoint({ applied: !dryRun });
      context.logger.info(`rewind of ${name} to ${new Date(timestamp).toISOString()}`, {
        dryRun,
        partitions: moves.length,
      });
      return { connector: name, timestamp: new Date(timestamp).toISOString(), dry_run: dryRun, moves };
    },
  };
}
