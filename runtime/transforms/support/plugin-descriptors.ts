import type { ConfigDef } from '../../api/config-def.js';
import type { PredicatePlugin, TransformationPlugin } from '../../api/plugin.js';
import type { Predicate, Transformation } from '../../api/transformation.js';
import { KEY_SIDE, VALUE_SIDE, type RecordSide } from './record-side.js';

const TRANSFORMS_PACKAGE = 'org.apache.kafka.connect.transforms.';
const PREDICATES_PACKAGE = 'org.apache.kafka.connect.transforms.predicates.';
export const BUILT_IN_VERSION = '0.1.0';

/** A transform under Connect's class name, also accepted by its simple name (e.g. `RegexRouter`). */
export function transformationPlugin(
  simpleName: string,
  configDef: ConfigDef,
  create: () => Transformation,
): TransformationPlugin {
  return {
    type: 'transformation',
    className: TRANSFORMS_PACKAGE + simpleName,
    aliases: [simpleName],
    version: BUILT_IN_VERSION,
    configDef,
    create,
  };
}

/** The `$Key` and `$Value` variants of a transform that works on one side of the record. */
export function keyValuePlugins(
  simpleName: string,
  configDef: ConfigDef,
  create: (side: RecordSide) => Transformation,
): readonly [TransformationPlugin, TransformationPlugin] {
  return [
    transformationPlugin(`${simpleName}$Key`, configDef, () => create(KEY_SIDE)),
    transformationPlugin(`${simpleName}$Value`, configDef, () => create(VALUE_SIDE)),
  ];
}

export function predicatePlugin(
  simpleName: string,
  configDef: ConfigDef,
  create: () => Predicate,
): PredicatePlugin {
  return {
    type: 'predicate',
    className: PREDICATES_PACKAGE + simpleName,
    aliases: [simpleName],
    version: BUILT_IN_VERSION,
    configDef,
    create,
  };
}
