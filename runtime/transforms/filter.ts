import type { ConnectRecord } from '../api/records.js';
import type { Transformation } from '../api/transformation.js';
import { transformationPlugin } from './support/plugin-descriptors.js';

/** Drops every record; paired with a predicate (and `negate`) it drops the matching (or non-matching) ones. */
export class Filter implements Transformation {
  configure(): void {}

  apply<R extends ConnectRecord>(_record: R): R | null {
    return null;
  }
}

export const filterPlugin = transformationPlugin('Filter', {}, () => new Filter());
