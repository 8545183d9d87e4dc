// The console's DOM-free logic: parsing /metrics, rates between polls, the topology, failure traces, masking.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectorCounters } from '../../../console/src/connector-metrics.js';
import { parsePrometheusText } from '../../../console/src/prometheus-text.js';
import type { ConfigKeyDefinition, ExpandedConnectors } from '../../../console/src/rest-types.js';
import { displayedValue, MASK } from '../../../console/src/secret-mask.js';
import { taskErrorOf } from '../../../console/src/task-error.js';
import { ThroughputHistory } from '../../../console/src/throughput-history.js';
import { TopicRates } from '../../../console/src/topic-rates.js';
import { buildTopology } from '../../../console/src/topology.js';

const SCRAPE = `# HELP kafka_connect_source_task_source_record_write_total records
# TYPE kafka_connect_source_task_source_record_write_total counter
kafka_connect_source_task_source_record_write_total{connector="src",task="0"} 100
kafka_connect_source_task_source_record_write_total{connector="src",task="1"} 50
kafka_connect_sink_task_sink_record_send_total{connector="snk",task="0"} 120
kafka_connect_sink_task_sink_record_lag_max{connector="snk",task="0"} 7
kafka_connect_sink_task_put_batch_avg_time_ms{connector="snk",task="0"} Nan
kafka_connect_sink_task_put_batch_max_time_ms{connector="snk",task="0"} 40
kafka_connect_connector_task_offset_commit_avg_time_ms{connector="snk",task="0"} 5
kafka_connect_connector_status{connector="src",status="running"} 1
kafka_connect_worker_connector_count 2
`;

describe('console: /metrics', () => {
  test('parses series with labels and skips comments', () => {
    const samples = parsePrometheusText(SCRAPE);
    assert.equal(samples.length, 9);
    assert.deepEqual(samples[0], {
      name: 'kafka_connect_source_task_source_record_write_total',
      labels: { connector: 'src', task: '0' },
      value: 100,
    });
    assert.equal(samples[8]?.value, 2);
  });

  test('sums task counters per connector; NaN batch times are left out', () => {
    const counters = connectorCounters(parsePrometheusText(SCRAPE));
    const none = { batchMs: undefined, batchMaxMs: undefined, commitMs: undefined };
    assert.deepEqual(counters.get('src'), { records: 150, errors: 0, lag: undefined, ...none });
    assert.deepEqual(counters.get('snk'), {
      records: 120,
      errors: 0,
      lag: 7,
      ...none,
      batchMaxMs: 40,
      commitMs: 5,
    });
    assert.equal(counters.has('kafka_connect_worker_connector_count'), false);
  });

  test('rates are the change between polls; a counter that went down starts over at 0', () => {
    const history = new ThroughputHistory(2);
    const at = (records: number) =>
      new Map([
        [
          'src',
          {
            records,
            errors: 0,
            lag: undefined,
            batchMs: undefined,
            batchMaxMs: undefined,
            commitMs: undefined,
          },
        ],
      ]);
    history.record(1_000, at(100));
    assert.equal(history.latest('src'), undefined);
    history.record(3_000, at(300));
    assert.equal(history.latest('src')?.recordsPerSecond, 100);
    history.record(4_000, at(10));
    assert.equal(history.latest('src')?.recordsPerSecond, 0);
    history.record(5_000, at(20));
    assert.equal(history.history('src').length, 2, 'the ring keeps its capacity');
    history.record(6_000, new Map());
    assert.equal(history.latest('src'), undefined, 'a deleted connector is forgotten');
  });
});

describe('console: topology', () => {
  const connectors: ExpandedConnectors = {
    cdc: {
      info: {
        name: 'cdc',
        type: 'source',
        config: {
          'connector.class': 'PostgresCdcSource',
          'database.dbname': 'shop',
          'topic.prefix': 'shop',
          'table.include.list': 'public.orders, public.item_.*',
        },
      },
    },
    mm: {
      info: {
        name: 'mm',
        type: 'source',
        config: {
          'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
          'source.cluster.alias': 'A',
          'target.cluster.alias': 'B',
          topics: 'clicks',
        },
      },
    },
    gen: {
      info: {
        name: 'gen',
        type: 'source',
        config: { 'connector.class': 'DatagenSource', 'kafka.topic': 'a' },
      },
    },
    out: {
      status: {
        name: 'out',
        type: 'sink',
        connector: { state: 'RUNNING', worker_id: 'w1' },
        tasks: [{ id: 0, state: 'FAILED', worker_id: 'w1' }],
      },
      info: { name: 'out', type: 'sink', config: { 'connector.class': 'FileStreamSink', topics: 'a, b' } },
    },
  };
  const used = new Map([
    ['cdc', ['shop.public.orders', 'shop.public.item_1', '__debezium-heartbeat.shop']],
    ['mm', ['A.clicks', 'A.views']],
  ]);

  test('CDC: database → tables → topics, from literal table names and used topics; other topics direct', () => {
    const topology = buildTopology(connectors, used);
    const from = (id: string) => topology.edges.filter((e) => e.from === id).map((e) => [e.to, e.topic]);
    assert.equal(topology.nodes.find((n) => n.id === 'source:cdc')?.origin, 'CDC database shop');
    assert.deepEqual(from('source:cdc'), [
      ['upstream:cdc:public.orders', undefined],
      ['upstream:cdc:public.item_1', undefined],
      ['topic:__debezium-heartbeat.shop', '__debezium-heartbeat.shop'],
    ]);
    assert.deepEqual(from('upstream:cdc:public.orders'), [
      ['topic:shop.public.orders', 'shop.public.orders'],
    ]);
    assert.equal(topology.nodes.find((n) => n.id === 'upstream:cdc:public.item_1')?.origin, 'table of shop');
    assert.equal(
      topology.nodes.some((n) => n.label.includes('item_.*')),
      false,
      'a pattern is not a table',
    );
  });

  test('mirror: topics of A → replicated topics in B, from `topics` and used topics', () => {
    const topology = buildTopology(connectors, used);
    assert.equal(topology.nodes.find((n) => n.id === 'source:mm')?.origin, 'mirror A → B');
    assert.deepEqual(
      topology.edges.filter((e) => e.connector === 'mm').map((e) => `${e.from} -> ${e.to} (${e.topic})`),
      [
        'source:mm -> upstream:mm:clicks (undefined)',
        'upstream:mm:clicks -> topic:A.clicks (A.clicks)',
        'source:mm -> upstream:mm:views (undefined)',
        'upstream:mm:views -> topic:A.views (A.views)',
      ],
    );
    assert.equal(topology.nodes.find((n) => n.id === 'upstream:mm:views')?.origin, 'topic in A');
    assert.equal(topology.nodes.find((n) => n.id === 'topic:A.views')?.origin, 'topic in B');
  });

  test('sources → topics → sinks; a failed task marks its connector; each edge names its topic', () => {
    const topology = buildTopology(connectors, used);
    assert.equal(topology.nodes.find((n) => n.id === 'sink:out')?.state, 'FAILED');
    assert.deepEqual(
      topology.edges.filter((e) => e.connector === 'gen' || e.connector === 'out'),
      [
        { from: 'source:gen', to: 'topic:a', connector: 'gen', topic: 'a' },
        { from: 'topic:a', to: 'sink:out', connector: 'out', topic: 'a' },
        { from: 'topic:b', to: 'sink:out', connector: 'out', topic: 'b' },
      ],
    );
  });

  test('per-topic records/s from sluice_task_topic_records_total, summed over tasks', () => {
    const rates = new TopicRates();
    const scrape = (a: number, b: number) =>
      parsePrometheusText(
        [
          `sluice_task_topic_records_total{connector="out",task="0",topic="a"} ${a}`,
          `sluice_task_topic_records_total{connector="out",task="1",topic="a"} ${a}`,
          `sluice_task_topic_records_total{connector="out",task="0",topic="b"} ${b}`,
        ].join('\n'),
      );
    rates.record(1_000, scrape(10, 5));
    assert.equal(rates.rate('out', 'a'), undefined);
    rates.record(3_000, scrape(30, 5));
    assert.equal(rates.rate('out', 'a'), 20);
    assert.equal(rates.rate('out', 'b'), 0);
    rates.record(4_000, scrape(1, 6));
    assert.equal(rates.rate('out', 'a'), undefined, 'a counter that went down has no rate');
    assert.equal(rates.rate('out', 'b'), 1);
  });
});

describe('console: failures and secrets', () => {
  test('a SluiceError trace gives its code and message; another trace its first line', () => {
    assert.deepEqual(taskErrorOf("SluiceError [CONNECT_ERROR]: Couldn't open\n    at x"), {
      code: 'CONNECT_ERROR',
      message: "Couldn't open",
      trace: "SluiceError [CONNECT_ERROR]: Couldn't open\n    at x",
    });
    assert.equal(taskErrorOf('TypeError: boom\n at y').code, 'TypeError');
    assert.equal(taskErrorOf('something odd').message, 'something odd');
  });

  test('PASSWORD keys and secret-like names are masked; placeholders are shown', () => {
    const definitions = new Map<string, ConfigKeyDefinition>([
      ['database.pass', { name: 'database.pass', type: 'PASSWORD' } as ConfigKeyDefinition],
    ]);
    assert.equal(displayedValue('database.pass', 'hunter2', definitions), MASK);
    assert.equal(displayedValue('aws.secret.access.key', 'abc', new Map()), MASK);
    assert.equal(displayedValue('s3.secret', 'abc', new Map()), MASK);
    assert.equal(
      displayedValue('database.password', '${file:/s.properties:pw}', new Map()),
      '${file:/s.properties:pw}',
    );
    assert.equal(displayedValue('topics', 'a', new Map()), 'a');
  });
});
