import type { CdcSettings } from './config.js';

/** Debezium's include/exclude lists: comma-separated regular expressions, each matching the whole identifier. */
function anchored(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => new RegExp(`^(?:${p})$`));
}

function allowed(id: string, include: readonly RegExp[], exclude: readonly RegExp[]): boolean {
  if (include.length > 0) return include.some((r) => r.test(id));
  return !exclude.some((r) => r.test(id));
}

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

export class CaptureFilters {
  private readonly schemaInclude: RegExp[];
  private readonly schemaExclude: RegExp[];
  private readonly tableInclude: RegExp[];
  private readonly tableExclude: RegExp[];
  private readonly columnInclude: RegExp[];
  private readonly columnExclude: RegExp[];

  constructor(
    settings: Pick<
      CdcSettings,
      'schemaInclude' | 'schemaExclude' | 'tableInclude' | 'tableExclude' | 'columnInclude' | 'columnExclude'
    >,
  ) {
    this.schemaInclude = anchored(settings.schemaInclude);
    this.schemaExclude = anchored(settings.schemaExclude);
    this.tableInclude = anchored(settings.tableInclude);
    this.tableExclude = anchored(settings.tableExclude);
    this.columnInclude = anchored(settings.columnInclude);
    this.columnExclude = anchored(settings.columnExclude);
  }

  tableCaptured(schema: string, table: string): boolean {
    if (SYSTEM_SCHEMAS.has(schema) || schema.startsWith('pg_temp') || schema.startsWith('pg_toast'))
      return false;
    if (!allowed(schema, this.schemaInclude, this.schemaExclude)) return false;
    return allowed(`${schema}.${table}`, this.tableInclude, this.tableExclude);
  }

  columnCaptured(schema: string, table: string, column: string): boolean {
    return allowed(`${schema}.${table}.${column}`, this.columnInclude, this.columnExclude);
  }
}
