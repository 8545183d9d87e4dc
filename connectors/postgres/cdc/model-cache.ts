import type pg from 'pg';
import { loadTableDefinition, type TableDefinition } from './catalog.js';
import type { CaptureFilters } from './filters.js';
import type { RelationMessage } from './pgoutput-messages.js';
import type { PgTypeRegistry } from './pg-types.js';
import { buildTableModel, type TableModel, type TableModelFactoryOptions } from './table-model.js';

/** Table models by relation id; a Relation message (sent again after DDL) rebuilds the model. */
export class ModelCache {
  private readonly models = new Map<number, TableModel | null>();
  /** Column order of the tuples pgoutput sends for each relation. */
  private readonly tupleColumns = new Map<number, readonly string[]>();

  constructor(
    private readonly client: pg.Client,
    private readonly types: PgTypeRegistry,
    private readonly filters: CaptureFilters,
    private readonly options: TableModelFactoryOptions,
  ) {}

  async forTable(definition: TableDefinition): Promise<TableModel> {
    const model = await buildTableModel(definition, this.types, this.options);
    this.models.set(definition.relationId, model);
    return model;
  }

  /** Rebuilds from the Relation message's columns (the shape of the WAL), enriched with catalog nullability, defaults and key. */
  async onRelation(message: RelationMessage): Promise<void> {
    this.tupleColumns.set(
      message.relationId,
      message.columns.map((c) => c.name),
    );
    if (!this.filters.tableCaptured(message.schema, message.table)) {
      this.models.set(message.relationId, null);
      return;
    }
    const catalog = await loadTableDefinition(this.client, message.relationId);
    const definition: TableDefinition = {
      relationId: message.relationId,
      schema: message.schema,
      table: message.table,
      columns: message.columns.map((c) => {
        const known = catalog?.columns.find((k) => k.name === c.name);
        return {
          name: c.name,
          typeOid: c.typeOid,
          typeModifier: c.typeModifier,
          notNull: known?.notNull ?? false,
          defaultExpression: known?.defaultExpression ?? null,
        };
      }),
      primaryKey: catalog?.primaryKey ?? message.columns.filter((c) => c.isKey).map((c) => c.name),
    };
    this.models.set(message.relationId, await buildTableModel(definition, this.types, this.options));
  }

  /** undefined: no Relation message seen yet; null: not captured. */
  model(relationId: number): TableModel | null | undefined {
    return this.models.get(relationId);
  }

  columnsOf(relationId: number): readonly string[] {
    return this.tupleColumns.get(relationId) ?? [];
  }
}
