/** Kafka Connect's single message transforms and predicates, under Connect's class names. */
import type { PredicatePlugin, TransformationPlugin } from '../api/plugin.js';
import { castKeyPlugin, castValuePlugin } from './cast.js';
import { dropHeadersPlugin } from './drop-headers.js';
import { extractFieldKeyPlugin, extractFieldValuePlugin } from './extract-field.js';
import { extractNewRecordStatePlugin } from './extract-new-record-state.js';
import { filterPlugin } from './filter.js';
import { flattenKeyPlugin, flattenValuePlugin } from './flatten.js';
import { headerFromKeyPlugin, headerFromValuePlugin } from './header-from.js';
import { hoistFieldKeyPlugin, hoistFieldValuePlugin } from './hoist-field.js';
import { insertFieldKeyPlugin, insertFieldValuePlugin } from './insert-field.js';
import { insertHeaderPlugin } from './insert-header.js';
import { maskFieldKeyPlugin, maskFieldValuePlugin } from './mask-field.js';
import { hasHeaderKeyPlugin } from './predicates/has-header-key.js';
import { recordIsTombstonePlugin } from './predicates/record-is-tombstone.js';
import { topicNameMatchesPlugin } from './predicates/topic-name-matches.js';
import { regexRouterPlugin } from './regex-router.js';
import { replaceFieldKeyPlugin, replaceFieldValuePlugin } from './replace-field.js';
import { setSchemaMetadataKeyPlugin, setSchemaMetadataValuePlugin } from './set-schema-metadata.js';
import { timestampConverterKeyPlugin, timestampConverterValuePlugin } from './timestamp-converter.js';
import { timestampRouterPlugin } from './timestamp-router.js';
import type { TransformPluginLookup } from './transform-chain.js';
import { valueToKeyPlugin } from './value-to-key.js';

export {
  buildTransformChain,
  transformConfigIssues,
  type TransformChain,
  type TransformPluginLookup,
} from './transform-chain.js';

export const transformationPlugins: readonly TransformationPlugin[] = [
  castKeyPlugin,
  castValuePlugin,
  dropHeadersPlugin,
  extractFieldKeyPlugin,
  extractFieldValuePlugin,
  extractNewRecordStatePlugin,
  filterPlugin,
  flattenKeyPlugin,
  flattenValuePlugin,
  headerFromKeyPlugin,
  headerFromValuePlugin,
  hoistFieldKeyPlugin,
  hoistFieldValuePlugin,
  insertFieldKeyPlugin,
  insertFieldValuePlugin,
  insertHeaderPlugin,
  maskFieldKeyPlugin,
  maskFieldValuePlugin,
  regexRouterPlugin,
  replaceFieldKeyPlugin,
  replaceFieldValuePlugin,
  setSchemaMetadataKeyPlugin,
  setSchemaMetadataValuePlugin,
  timestampConverterKeyPlugin,
  timestampConverterValuePlugin,
  timestampRouterPlugin,
  valueToKeyPlugin,
];

export const predicatePlugins: readonly PredicatePlugin[] = [
  hasHeaderKeyPlugin,
  recordIsTombstonePlugin,
  topicNameMatchesPlugin,
];

/** Finds plugins by class name or alias; with no arguments, among the built-in ones. */
export function transformPluginLookup(
  transformations: readonly TransformationPlugin[] = transformationPlugins,
  predicates: readonly PredicatePlugin[] = predicatePlugins,
): TransformPluginLookup {
  const byName = <P extends TransformationPlugin | PredicatePlugin>(plugins: readonly P[]) => {
    const map = new Map<string, P>();
    for (const plugin of plugins)
      for (const name of [plugin.className, ...plugin.aliases]) map.set(name, plugin);
    return map;
  };
  const t = byName(transformations);
  const p = byName(predicates);
  return { transformation: (name) => t.get(name), predicate: (name) => p.get(name) };
}
