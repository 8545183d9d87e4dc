// GET /metrics on a real standalone worker: datagen → Kafka → FileStreamSink, then what an operator's
// Prometheus would scrape: the source task polled every record, the sink task read every record, and
// both tasks report running.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readDatagenFile } from '../../support/datagen-output.js';
import { createTopic, deleteTopics } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, WorkerProcess, writeProperties } from '../../support/worker-process.js';

const RECORDS = 3_000;

/** The value of one series in the Prometheus text format, or undefined when the series is absent. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('standalone GET /metrics', { timeout: 120_000 }, () => {
  const topic = uniqueName('it-metrics');
  let worker: WorkerProcess | undefined;
  after(async () => {
    await worker?.dispose();
    await deleteTopics([topic]);
  });

  test('source poll and sink read totals reach the produced count; task status is running', async () => {
    await createTopic(topic, 1);
    worker = await WorkerProcess.create();
    const out = join(worker.dir, 'out.txt');
    const source = uniqueName('datagen');
    const sink = uniqueName('filesink');
    const files = [
      await writeProperties(join(worker.dir, 'datagen.properties'), {
        name: source,
        'connector.class': 'DatagenSource',
        'kafka.topic': topic,
        'max.records': String(RECORDS),
        'tasks.max': '1',
        'record.size.bytes': '0',
      }),
      await writeProperties(join(worker.dir, 'sink.properties'), {
        name: sink,
        'connector.class': 'FileStreamSink',
        topics: topic,
        file: out,
      }),
    ];
    await worker.start(files);
    await waitFor(
      async () => (await readDatagenFile(out)).length >= RECORDS,
      60_000,
      `${RECORDS} lines in ${out}`,
      500,
    );

    const metricsOf = async (): Promise<{ text: string; contentType: string | null }> => {
      const response = await fetch(`${worker!.url}/metrics`);
      assert.equal(response.status, 200);
      return { text: await response.text(), contentType: response.headers.get('content-type') };
    };
    const src = `{connector="${source}",task="0"}`;
    const snk = `{connector="${sink}",task="0"}`;
    // The sink's put of the last batch may land in the file a moment before its counter is bumped.
    const { text, contentType } = await waitFor(
      async () => {
        const scraped = await metricsOf();
        return (valueOf(scraped.text, `kafka_connect_sink_task_sink_record_send_total${snk}`) ?? 0) >= RECORDS
          ? scraped
          : false;
      },
      10_000,
      'sink send total to reach the record count',
      250,
    );
    assert.match(contentType ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(valueOf(text, `kafka_connect_source_task_source_record_poll_total${src}`), RECORDS);
    assert.equal(valueOf(text, `kafka_connect_source_task_source_record_write_total${src}`), RECORDS);
    assert.equal(valueOf(text, `kafka_connect_sink_task_sink_record_read_total${snk}`), RECORDS);
    assert.equal(valueOf(text, `kafka_connect_sink_task_sink_record_send_total${snk}`), RECORDS);
    // Each partition's last batch held its last record, and nothing was produced after it.
    assert.equal(valueOf(text, `kafka_connect_sink_task_sink_record_lag_max${snk}`), 0);
    for (const [connector, labels] of [
      [source, src],
      [sink, snk],
    ] as const) {
      assert.equal(
        valueOf(text, `kafka_connect_connector_task_status${labels.slice(0, -1)},status="running"}`),
        1,
        `${connector} task 0 running`,
      );
      assert.equal(
        valueOf(text, `kafka_connect_connector_status{connector="${connector}",status="running"}`),
        1,
      );
      assert.equal(valueOf(text, `kafka_connect_task_error_total_record_errors${labels}`), 0);
    }
    assert.equal(valueOf(text, 'kafka_connect_worker_connector_count'), 2);
    assert.equal(valueOf(text, 'kafka_connect_worker_task_count'), 2);
    assert.equal(valueOf(text, 'kafka_connect_worker_task_startup_success_total'), 2);
    assert.match(text, /^process_resident_memory_bytes \d/m);

    // Deleting a connector removes its task's series.
    assert.equal((await worker.rest('DELETE', `/connectors/${sink}`)).status, 204);
    const afterDelete = await waitFor(
      async () => {
        const scraped = (await metricsOf()).text;
        return scraped.includes(`connector="${sink}"`) ? false : scraped;
      },
      15_000,
      `series of ${sink} to disappear`,
      250,
    );
    assert.equal(valueOf(afterDelete, 'kafka_connect_worker_task_count'), 1);
    assert.equal((await worker.terminate()).code, 0);
  });
});
