// The web console in Debian's headless Chromium against a real standalone worker running datagen → Kafka →
// FileStreamSink and a sink that fails at start: what an operator sees and does at /ui/, checked through REST.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { HeadlessChromium } from '../../support/headless-chromium.js';
import { KAFKA_B_BOOTSTRAP, KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { createTopic, deleteTopics, produce } from '../../support/kafka-test-client.js';
import {
  uniqueName,
  waitFor,
  WorkerProcess,
  writeProperties,
  type ConnectorStatus,
} from '../../support/worker-process.js';

const DATAGEN_CLASS = 'sluice.connect.datagen.DatagenSourceConnector';

describe('web console', { timeout: 150_000 }, () => {
  const topic = uniqueName('it-console');
  const createdTopic = uniqueName('it-console-created');
  const source = uniqueName('datagen');
  const sink = uniqueName('filesink');
  const failing = uniqueName('failing');
  const created = uniqueName('created');
  // A mirror from cluster B into the worker's cluster (a Connect-style worker runs on the mirror's target).
  const mirror = uniqueName('mirror');
  const remoteTopic = uniqueName('it-console-remote');
  let worker: WorkerProcess | undefined;
  let browser: HeadlessChromium | undefined;

  const status = async (name: string): Promise<ConnectorStatus> =>
    (await worker!.rest<ConnectorStatus>('GET', `/connectors/${name}/status`)).body;
  const page = () => browser!.page;
  const open = async (hash: string): Promise<void> => {
    // A fast poll keeps the test short; operators get the default 2 s.
    await page().goto(`${worker!.url}/ui/?poll=500#/${hash}`);
  };

  before(async () => {
    await Promise.all([createTopic(topic, 1), createTopic(remoteTopic, 1, KAFKA_B_BOOTSTRAP)]);
    await produce(
      remoteTopic,
      Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
      KAFKA_B_BOOTSTRAP,
    );
    worker = await WorkerProcess.create();
    const files = [
      await writeProperties(join(worker.dir, 'datagen.properties'), {
        name: source,
        'connector.class': 'DatagenSource',
        'kafka.topic': topic,
        'records.per.second': '200',
        'tasks.max': '1',
      }),
      await writeProperties(join(worker.dir, 'sink.properties'), {
        name: sink,
        'connector.class': 'FileStreamSink',
        topics: topic,
        file: join(worker.dir, 'out.txt'),
      }),
      // The sink task cannot open its file: it fails at start, with a registry code in its trace.
      await writeProperties(join(worker.dir, 'failing.properties'), {
        name: failing,
        'connector.class': 'FileStreamSink',
        topics: topic,
        file: join(worker.dir, 'no-such-dir', 'out.txt'),
      }),
      await writeProperties(join(worker.dir, 'mirror.properties'), {
        name: mirror,
        'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
        'source.cluster.alias': 'B',
        'target.cluster.alias': 'A',
        'source.cluster.bootstrap.servers': KAFKA_B_BOOTSTRAP,
        'target.cluster.bootstrap.servers': KAFKA_BOOTSTRAP,
        topics: remoteTopic,
        'tasks.max': '1',
        'replication.factor': '1',
        'offset-syncs.topic.replication.factor': '1',
        'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
        'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
        'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      }),
    ];
    await Promise.all([worker.start(files), HeadlessChromium.launch().then((b) => (browser = b))]);
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
    await deleteTopics([topic, createdTopic, `B.${remoteTopic}`]);
    await deleteTopics([remoteTopic], KAFKA_B_BOOTSTRAP);
  });

  test('the topology shows the source, the topic and the sink, with moving records/s', async () => {
    await open('topology');
    for (const node of [`source:${source}`, `topic:${topic}`, `sink:${sink}`, `sink:${failing}`]) {
      await page().locator(`[data-node="${node}"]`).waitFor({ timeout: 20_000 });
    }
    await page().locator(`[data-edge="source:${source}->topic:${topic}"]`).waitFor();
    await page().locator(`[data-edge="topic:${topic}->sink:${sink}"]`).waitFor();
    // The sink's edge label is its records/s: it changes from poll to poll while datagen produces.
    const rate = page().locator(`[data-edge="topic:${topic}->sink:${sink}"] .edge-rate`);
    const seen = new Set<string>();
    await waitFor(
      async () => {
        const text = (await rate.textContent()) ?? '';
        if (/^[\d.]+k?\/s$/.test(text) && Number.parseFloat(text) > 0) seen.add(text);
        return seen.size >= 2;
      },
      20_000,
      'two different non-zero records/s on the sink edge',
      300,
    );
  });

  test('the topology shows the mirror flow B → A: the topic of B, and the replicated topic it writes', async () => {
    await open('topology');
    const source = page().locator(`[data-node="source:${mirror}"]`);
    await source.waitFor({ timeout: 20_000 });
    assert.match((await source.locator('.node-sub').textContent()) ?? '', /^mirror B → A/);
    const upstream = `upstream:${mirror}:${remoteTopic}`;
    const replicated = `topic:B.${remoteTopic}`;
    assert.match(
      (await page().locator(`[data-node="${upstream}"] .node-sub`).textContent()) ?? '',
      /topic in B/,
    );
    assert.match(
      (await page().locator(`[data-node="${replicated}"] .node-sub`).textContent()) ?? '',
      /topic in A/,
    );
    await page().locator(`[data-edge="source:${mirror}->${upstream}"]`).waitFor({ state: 'attached' });
    // The replicating edge carries the replicated topic's own records/s (a number, once the mirror copied).
    await page()
      .locator(`[data-edge="${upstream}->${replicated}"] .edge-rate`)
      .filter({ hasText: /\/s$/ })
      .waitFor({ timeout: 20_000 });
    await browser!.screenshot('topology');
  });

  test('the connectors list shows the failed task first, with its error code and message', async () => {
    await open('connectors');
    const failure = page().locator('[data-testid="failure"]').first();
    await failure.waitFor({ timeout: 20_000 });
    assert.equal(await page().locator('tr[data-connector]').first().getAttribute('data-connector'), failing);
    assert.equal(await failure.locator('.error-code').textContent(), 'CONNECT_ERROR');
    assert.match(
      (await failure.locator('.error-message').textContent()) ?? '',
      /Couldn't find or create file/,
    );
    await failure.locator('summary').click();
    assert.match((await failure.locator('pre').textContent()) ?? '', /no-such-dir/);
    await page()
      .locator(`tr[data-connector="${source}"] [data-testid="rate"]`)
      .filter({ hasText: /[1-9]/ })
      .waitFor();
    await browser!.screenshot('connectors');
  });

  test('the worker keeps a history for the charts; pausing from the connector page pauses the connector', async () => {
    // The worker samples every 10 s: its first point with records may take that long after the start.
    await waitFor(
      async () => {
        const reply = await worker!.rest<{
          connectors: Record<string, { records_per_second: number; batch_max_ms: number | null }[]>;
        }>('GET', `/metrics/history?connector=${source}`);
        return (reply.body.connectors[source] ?? []).some(
          (point) => point.records_per_second > 0 && point.batch_max_ms !== null,
        );
      },
      20_000,
      `a history point of ${source} with records`,
      500,
    );
    await open(`connectors/${source}`);
    // Throughput, errors, lag, poll/put time (average and longest) and batch commit latency.
    for (const chart of ['0', '1', '2', '3', '4'])
      await page().locator(`[data-chart="${chart}"] canvas`).waitFor({ timeout: 10_000 });
    assert.equal(await page().locator('[data-chart]').count(), 5);
    await page().getByRole('button', { name: 'Pause', exact: true }).click();
    await waitFor(
      async () => (await status(source)).connector.state === 'PAUSED',
      15_000,
      `${source} PAUSED`,
    );
    await page().getByRole('button', { name: 'Resume', exact: true }).waitFor();
    await browser!.screenshot('connector');
  });

  test('the create form shows a bad value inline, then creates the connector', async () => {
    await open('new');
    await page().locator('select[name="plugin"]').selectOption(DATAGEN_CLASS);
    await page().locator('input[name="kafka.topic"]').waitFor({ timeout: 15_000 });
    await page().locator('input[name="name"]').fill(created);
    await page().locator('input[name="kafka.topic"]').fill(createdTopic);
    // The rate is not an important key: it is under "All settings".
    await page().locator('summary', { hasText: 'All settings' }).click();
    await page().locator('input[name="records.per.second"]').fill('fast');
    const error = page().locator('[data-key="records.per.second"] .field-error');
    await error.waitFor({ timeout: 10_000 });
    assert.ok(((await error.textContent()) ?? '').length > 0);
    await browser!.screenshot('create-form');

    await page().locator('input[name="records.per.second"]').fill('5');
    await error.waitFor({ state: 'detached', timeout: 10_000 });
    await page().getByRole('button', { name: 'Create' }).click();
    await waitFor(
      async () => (await worker!.rest('GET', `/connectors/${created}`)).status === 200,
      15_000,
      `${created} created`,
    );
    await page().waitForURL(new RegExp(`#/connectors/${created}$`));
    const config = (await worker!.rest<Record<string, string>>('GET', `/connectors/${created}/config`)).body;
    assert.equal(config['records.per.second'], '5');
    assert.equal(config['kafka.topic'], createdTopic);
    assert.deepEqual(browser!.pageErrors, []);
  });
});
