import type { JobType, JsonObject } from '../../../runtime/api/index.js';
import { closeClient, connectQueryClient } from '../cdc/pg-connect.js';
import { backfillConfigSchema, backfillSettings } from './backfill-config.js';
import { planChunks } from './chunk-plan.js';
import { readChunk, type ChunkBounds } from './chunk-reader.js';
import { openBackfillTable } from './table-access.js';

/**
 * `backfill`: a PostgreSQL table into its topic, with PostgresCdcSource's record shape (snapshot reads,
 * `op: "r"`, on `<topic.prefix>.<schema>.<table>`), in key-range chunks that any worker may run.
 */
export const postgresBackfillJobType: JobType = {
  name: 'backfill',
  description:
    "A PostgreSQL table into Kafka in key-range chunks, with PostgresCdcSource's topic, key and envelope",
  configSchema: backfillConfigSchema,
  async plan(config) {
    const settings = backfillSettings(config);
    const client = await connectQueryClient(settings.cdc, 'sluice-backfill-plan');
    try {
      const table = await openBackfillTable(client, settings);
      return { units: await planChunks(client, table, settings.chunkSize) };
    } finally {
      await closeClient(client);
    }
  },
  async runUnit(config, unit, context): Promise<JsonObject> {
    const settings = backfillSettings(config);
    const client = await connectQueryClient(settings.cdc, `sluice-backfill-${context.jobId}`);
    try {
      const table = await openBackfillTable(client, settings);
      const rows = await readChunk(client, table, settings, unit as unknown as ChunkBounds, context);
      return {
        table: `${table.model.schema}.${table.model.table}`,
        topic: table.model.topic,
        rows_read: rows,
      };
    } finally {
      await closeClient(client);
    }
  },
};
