import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';

/** A fresh directory for one worker's offsets and connector files. */
export function benchDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `sluice-bench-${label}-`));
}

function propertiesText(entries: Readonly<Record<string, string>>): string {
  return Object.entries(entries)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/**
 * A standalone worker file as a user would write it for JSON data without embedded schemas
 * (JsonConverter, schemas.enable=false), offsets flushed every 10 s as in Connect's sample file.
 */
export function writeWorkerFile(
  dir: string,
  port: number,
  extra: Readonly<Record<string, string>> = {},
): string {
  const file = join(dir, 'worker.properties');
  writeFileSync(
    file,
    propertiesText({
      'bootstrap.servers': KAFKA_BOOTSTRAP,
      listeners: `http://127.0.0.1:${port}`,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
      'offset.storage.file.filename': join(dir, 'offsets'),
      'offset.flush.interval.ms': '10000',
      ...extra,
    }),
  );
  return file;
}

export function writeConnectorFile(
  dir: string,
  name: string,
  config: Readonly<Record<string, string>>,
): string {
  const file = join(dir, `${name}.properties`);
  writeFileSync(file, propertiesText({ name, ...config }));
  return file;
}
