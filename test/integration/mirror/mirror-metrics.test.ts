// MirrorMaker 2's per-partition metrics on a real `sluice mirror` A->B: after records an hour old are
// mirrored, GET /metrics shows their count, bytes, record age and replication latency for the remote
// topic's partition under Strimzi's JMX exporter names, and the task logs that it is catching up.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopic, deleteTopics, produce } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor } from '../../support/worker-process.js';
import { B, deleteAll, internalTopicsOf, mm2Props } from './mirror-fixture.js';
import { MirrorProcess } from './mirror-process.js';

const RECORDS = 500;
const VALUE_BYTES = 100;
const HOUR_MS = 3_600_000;

function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('sluice mirror: MM2 metrics on /metrics', { timeout: 240_000 }, () => {
  const prefix = uniqueName('mmmetrics');
  const topic = `${prefix}-orders`;
  let mirror: MirrorProcess | undefined;
  after(async () => {
    await mirror?.stop();
    await deleteTopics([topic]);
    await deleteAll(B, new Set([`A.${topic}`, ...internalTopicsOf(prefix)]), new Set([`${prefix}-mm2`]));
  });

  test('record count, byte count, record age and replication latency per remote partition', async () => {
    await createTopic(topic);
    const createdAt = Date.now() - HOUR_MS;
    await produce(
      topic,
      Array.from({ length: RECORDS }, (_, i) => ({
        key: `k${i}`,
        value: String(i).padStart(VALUE_BYTES, '0'),
        timestamp: String(createdAt),
      })),
    );
    mirror = await MirrorProcess.create(mm2Props(prefix, { 'tasks.max': '1' }));
    await mirror.start();
    const series = `{connector="MirrorSourceConnector",task="0",destination="B",topic="A.${topic}",partition="0"}`;
    const name = (attribute: string): string => `kafka_connect_mirror_source_connector_${attribute}${series}`;
    const text = await waitFor(
      async () => {
        const scraped = await (await fetch(`${mirror!.url}/metrics`)).text();
        return (valueOf(scraped, name('record_count')) ?? 0) >= RECORDS ? scraped : false;
      },
      120_000,
      `record_count of A.${topic} to reach ${RECORDS}`,
      500,
    );
    assert.equal(valueOf(text, name('record_count')), RECORDS, 'each record counted once');
    assert.equal(valueOf(text, name('byte_count')), RECORDS * VALUE_BYTES, "MM2 counts the values' bytes");
    assert.ok((valueOf(text, name('byte_rate')) ?? 0) > 0, 'byte_rate');
    for (const attribute of [
      'record_age_ms',
      'record_age_ms_min',
      'record_age_ms_avg',
      'record_age_ms_max',
    ]) {
      const value = valueOf(text, name(attribute)) ?? Number.NaN;
      assert.ok(value >= HOUR_MS, `${attribute} ${value} is at least the records' age of one hour`);
    }
    for (const attribute of [
      'replication_latency_ms',
      'replication_latency_ms_avg',
      'replication_latency_ms_max',
    ]) {
      const value = valueOf(text, name(attribute)) ?? Number.NaN;
      assert.ok(
        value >= HOUR_MS,
        `${attribute} ${value}: acknowledged at least an hour after the records' time`,
      );
    }
    assert.ok(
      valueOf(text, name('record_age_ms_max'))! <= valueOf(text, name('replication_latency_ms_max'))!,
      'a record is acknowledged after it was polled',
    );
    // The catch-up line: records moved within the interval, and the newest of them is an hour old.
    await waitFor(
      () =>
        /replicated \d+ record\(s\) in \d+ s \(\d+ records\/s\), newest record \d+ s old: catching up/.test(
          mirror!.log,
        ),
      30_000,
      'a catch-up progress line',
      500,
    );
  });
});
