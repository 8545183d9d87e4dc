import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import {
  SluiceError,
  type JobConnectors,
  type JobType,
  type JsonObject,
} from '../../../runtime/api/index.js';
import { openKeyedTable } from '../backfill/table-access.js';
import { qualifiedName } from '../cdc/catalog.js';
import { cdcSettings, type CdcSettings } from '../cdc/config.js';
import { sourcePartition } from '../cdc/events.js';
import { CaptureFilters } from '../cdc/filters.js';
import { stateFromOffset } from '../cdc/incremental-snapshot-state.js';
import { closeClient, connectQueryClient } from '../cdc/pg-connect.js';
import { postgresCdcSourcePlugin } from '../cdc/index.js';
import { insertSignal, normalizeCollection, SignalTypes, splitCollection } from '../cdc/signals.js';

const NAME = 'snapshot';
const POLL_MS = 1000;

const configSchema: JsonObject = {
  type: 'object',
  required: ['connector', 'data-collections'],
  properties: {
    connector: { type: 'string', minLength: 1 },
    /** `schema.table` names, comma-separated (POST /jobs also takes a JSON array of them). */
    'data-collections': { type: 'string', minLength: 1 },
  },
  additionalProperties: false,
};

const invalid = (message: string): SluiceError => new SluiceError('JOB_CONFIG_INVALID', [NAME, message]);

function collectionsOf(config: Readonly<Record<string, string>>): string[] {
  const list = (config['data-collections'] ?? '').split(',');
  return [
    ...new Set(
      list
        .map((c) => c.trim())
        .filter((c) => c !== '')
        .map(normalizeCollection),
    ),
  ];
}

interface Target {
  readonly name: string;
  readonly settings: CdcSettings;
}

/** The connector, which must be a PostgresCdcSource with a signal table (else 400; unknown: 404). */
async function targetOf(connectors: JobConnectors, name: string): Promise<Target> {
  const config = await connectors.config(name);
  const cls = config['connector.class'] ?? '';
  const plugin = postgresCdcSourcePlugin;
  if (cls !== plugin.className && !(plugin.aliases ?? []).includes(cls))
    throw invalid(`connector ${name} is a ${cls}, not a PostgresCdcSource`);
  let settings: CdcSettings;
  try {
    settings = cdcSettings(config);
  } catch (error) {
    throw invalid(`connector ${name}: ${(error as Error).message}`);
  }
  if (settings.signalDataCollection === '')
    throw invalid(
      `connector ${name} has no signal table: set signal.data.collection (a table with columns id, type, data) in its config`,
    );
  return { name, settings };
}

async function withClient<T>(settings: CdcSettings, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectQueryClient(settings, 'sluice-snapshot-job');
  try {
    return await run(client);
  } finally {
    await closeClient(client);
  }
}

/**
 * `snapshot`: an incremental snapshot of tables of a running PostgresCdcSource. The job inserts Debezium's
 * `execute-snapshot` signal (its id is the job's id) into the connector's signal table and follows the
 * connector's committed offsets, where the snapshot keeps its position, until they show it finished.
 */
export function postgresSnapshotJobType(connectors: JobConnectors): JobType {
  return {
    name: NAME,
    description: 'An incremental snapshot of tables of a running PostgresCdcSource (Debezium signals)',
    configSchema,
    async plan(config) {
      const collections = collectionsOf(config);
      if (collections.length === 0) throw invalid("'data-collections' names no table");
      const { settings, name } = await targetOf(connectors, config['connector'] ?? '');
      const filters = new CaptureFilters(settings);
      const estimated = await withClient(settings, async (client) => {
        let rows = 0;
        for (const collection of collections) {
          const { schema, table } = splitCollection(collection);
          const opened = await openKeyedTable(client, settings, schema, table, NAME);
          if (!filters.tableCaptured(schema, table))
            throw invalid(
              `table ${collection} is not captured by connector ${name} (its include/exclude lists)`,
            );
          const counted = await client.query<{ n: string }>(
            `SELECT count(*)::text AS n FROM ${opened.qualifiedName}`,
          );
          rows += Number(counted.rows[0]?.n ?? 0);
        }
        return rows;
      });
      return { units: [{ spec: { collections }, estimatedRecords: estimated }] };
    },
    async runUnit(config, unit, context) {
      const { settings, name } = await targetOf(connectors, config['connector'] ?? '');
      const collections = (unit['collections'] as string[] | undefined) ?? collectionsOf(config);
      const signalId = context.jobId;
      if (context.resumeFrom?.['signalled'] !== true) {
        await withClient(settings, async (client) => {
          const { schema, table } = splitCollection(settings.signalDataCollection);
          const sent = await client.query(`SELECT 1 FROM ${qualifiedName(schema, table)} WHERE id = $1`, [
            signalId,
          ]);
          if (sent.rowCount === 0)
            await insertSignal(
              client,
              settings.signalDataCollection,
              signalId,
              SignalTypes.EXECUTE_SNAPSHOT,
              {
                'data-collections': collections,
                type: 'incremental',
              },
            );
        });
        await context.checkpoint({ signalled: true });
      }
      const partition = JSON.stringify(sourcePartition(settings.topicPrefix));
      try {
        for (;;) {
          const entry = (await connectors.sourceOffsets(name)).find(
            (o) => JSON.stringify(o.partition) === partition,
          );
          const state = stateFromOffset((entry?.offset as JsonObject | null | undefined) ?? null);
          if (state.completed.includes(signalId) || state.signalIds.includes(signalId)) {
            await context.reportRecords(state.rows);
          }
          if (state.completed.includes(signalId)) {
            context.logger.info(`incremental snapshot ${signalId} of ${collections.join(', ')} completed`);
            return { connector: name, data_collections: collections, signal_id: signalId };
          }
          await context.checkpoint({
            signalled: true,
            chunks: state.signalIds.includes(signalId) ? state.chunks : 0,
          });
          await delay(POLL_MS);
        }
      } catch (error) {
        // Cancelled: the connector stops reading these tables too.
        if (error instanceof SluiceError && error.code === 'JOB_CANCELLED')
          await withClient(settings, (client) =>
            insertSignal(
              client,
              settings.signalDataCollection,
              `${signalId}-stop`,
              SignalTypes.STOP_SNAPSHOT,
              {
                'data-collections': collections,
                type: 'incremental',
              },
            ),
          ).catch(() => undefined);
        throw error;
      }
    },
  };
}
