import type { ConfigDef, ConfigValues } from '../../../runtime/api/index.js';
import type { ObjectKeyLayout } from '../layout/object-key.js';

/** How object names are built: shared by the sink (writing) and the source (parsing). */
export const LayoutKeys = {
  TOPICS_DIR: 'topics.dir',
  DIRECTORY_DELIM: 'directory.delim',
  FILE_DELIM: 'file.delim',
  OFFSET_PAD_WIDTH: 'filename.offset.zero.pad.width',
} as const;

const group = 'Storage';

export const layoutConfigDef: ConfigDef = {
  [LayoutKeys.TOPICS_DIR]: {
    type: 'string',
    default: 'topics',
    importance: 'high',
    group,
    orderInGroup: 1,
    documentation: 'The top-level directory of the objects: <topics.dir>/<topic>/<encoded partition>/<file>.',
  },
  [LayoutKeys.DIRECTORY_DELIM]: {
    type: 'string',
    default: '/',
    importance: 'medium',
    group,
    orderInGroup: 2,
    documentation: 'The separator between the directories of an object name.',
    validator: { nonEmpty: true },
  },
  [LayoutKeys.FILE_DELIM]: {
    type: 'string',
    default: '+',
    importance: 'medium',
    group,
    orderInGroup: 3,
    documentation: 'The separator between topic, partition and start offset in a file name.',
    validator: { nonEmpty: true },
  },
  [LayoutKeys.OFFSET_PAD_WIDTH]: {
    type: 'int',
    default: 10,
    importance: 'low',
    group,
    orderInGroup: 4,
    documentation:
      'The start offset in a file name is zero-padded to this many digits, so names sort in offset order.',
    validator: { min: 0, max: 20 },
  },
};

export function objectKeyLayout(values: ConfigValues): ObjectKeyLayout {
  return {
    topicsDir: values.string(LayoutKeys.TOPICS_DIR),
    directoryDelim: values.string(LayoutKeys.DIRECTORY_DELIM),
    fileDelim: values.string(LayoutKeys.FILE_DELIM),
    offsetPadWidth: values.number(LayoutKeys.OFFSET_PAD_WIDTH),
  };
}
