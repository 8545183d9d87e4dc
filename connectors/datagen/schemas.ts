import { SchemaBuilder, Schemas, timestampSchema, type Schema } from '../../runtime/api/index.js';

/** Key of every generated record: the record's id, `<task>-<seq>`. */
export const DATAGEN_KEY_SCHEMA: Schema = SchemaBuilder.struct()
  .name('sluice.datagen.Key')
  .version(1)
  .field('id', Schemas.STRING)
  .build();

export const DATAGEN_VALUE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('sluice.datagen.Value')
  .version(1)
  .field('id', Schemas.STRING)
  .field('task', Schemas.INT32)
  .field('seq', Schemas.INT64)
  .field('ts', timestampSchema().build())
  .field('payload', Schemas.STRING)
  .build();
