/**
 * Object names in the Confluent S3 sink's layout:
 * `<topics.dir>/<topic>/<encoded partition>/<topic><file.delim><kafkaPartition><file.delim><startOffset><ext>`,
 * the start offset zero-padded to `filename.offset.zero.pad.width`. The sink writes these names and the source
 * parses them back, so both live here.
 */
export interface ObjectKeyLayout {
  readonly topicsDir: string;
  readonly directoryDelim: string;
  readonly fileDelim: string;
  readonly offsetPadWidth: number;
}

export interface ObjectKeyParts {
  readonly topic: string;
  readonly encodedPartition: string;
  readonly kafkaPartition: number;
  readonly startOffset: number;
  readonly extension: string;
}

export function objectKey(layout: ObjectKeyLayout, parts: ObjectKeyParts): string {
  const d = layout.directoryDelim;
  const offset = String(parts.startOffset).padStart(layout.offsetPadWidth, '0');
  const file = [parts.topic, parts.kafkaPartition, offset].join(layout.fileDelim) + parts.extension;
  return [layout.topicsDir, parts.topic, parts.encodedPartition, file].filter((p) => p !== '').join(d);
}

/** The prefix under which every object of `topic` lies. */
export function topicPrefix(layout: ObjectKeyLayout, topic: string): string {
  return [layout.topicsDir, topic, ''].filter((p, i) => p !== '' || i === 2).join(layout.directoryDelim);
}

/**
 * The parts of a key written in this layout, or null for any other object (a stray file, a different
 * extension). The file name is read from the right, so topics may contain the file delimiter.
 */
export function parseObjectKey(
  layout: ObjectKeyLayout,
  key: string,
  extension: string,
): ObjectKeyParts | null {
  if (!key.endsWith(extension)) return null;
  const d = layout.directoryDelim;
  const lastSlash = key.lastIndexOf(d);
  if (lastSlash < 0) return null;
  const fileName = key.slice(lastSlash + d.length, key.length - extension.length);
  const fd = layout.fileDelim;
  const offsetAt = fileName.lastIndexOf(fd);
  const partitionAt = offsetAt < 0 ? -1 : fileName.lastIndexOf(fd, offsetAt - 1);
  if (partitionAt <= 0) return null;
  const topic = fileName.slice(0, partitionAt);
  const kafkaPartition = Number(fileName.slice(partitionAt + fd.length, offsetAt));
  const startOffset = Number(fileName.slice(offsetAt + fd.length));
  if (!Number.isSafeInteger(kafkaPartition) || !Number.isSafeInteger(startOffset)) return null;
  const head = layout.topicsDir === '' ? `${topic}${d}` : `${layout.topicsDir}${d}${topic}${d}`;
  const directory = key.slice(0, lastSlash);
  if (!`${directory}${d}`.startsWith(head)) return null;
  return {
    topic,
    encodedPartition: directory.slice(head.length),
    kafkaPartition,
    startOffset,
    extension,
  };
}
