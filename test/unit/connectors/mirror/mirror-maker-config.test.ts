import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  flowListener,
  MIRROR_MAKER_CONNECTORS,
  planMirrorMaker,
  sameConnectorConfig,
} from '../../../../connectors/mirror/mirror-maker-config.js';
import { SluiceError } from '../../../../runtime/api/index.js';
import { parseWorkerConfig } from '../../../../runtime/config/worker-config.js';

const base = {
  clusters: 'A, B',
  'A.bootstrap.servers': 'a:9092',
  'B.bootstrap.servers': 'b:9092',
  'A->B.enabled': 'true',
};

describe('mm2.properties (dedicated mode plan)', () => {
  test('a flow runs a distributed worker on the target with MM2 group, internal topics and byte converters', () => {
    const plan = planMirrorMaker(base, null);
    assert.equal(plan.flows.length, 1);
    const flow = plan.flows[0]!;
    assert.equal(flow.name, 'A->B');
    assert.deepEqual(
      {
        bootstrap: flow.workerConfig['bootstrap.servers'],
        group: flow.workerConfig['group.id'],
        configs: flow.workerConfig['config.storage.topic'],
        offsets: flow.workerConfig['offset.storage.topic'],
        status: flow.workerConfig['status.storage.topic'],
        clientId: flow.workerConfig['client.id'],
        key: flow.workerConfig['key.converter'],
        value: flow.workerConfig['value.converter'],
        header: flow.workerConfig['header.converter'],
        listeners: flow.workerConfig['listeners'],
      },
      {
        bootstrap: 'b:9092',
        group: 'A-mm2',
        configs: 'mm2-configs.A.internal',
        offsets: 'mm2-offsets.A.internal',
        status: 'mm2-status.A.internal',
        clientId: 'A->B',
        key: 'org.apache.kafka.connect.converters.ByteArrayConverter',
        value: 'org.apache.kafka.connect.converters.ByteArrayConverter',
        header: 'org.apache.kafka.connect.converters.ByteArrayConverter',
        listeners: 'http://127.0.0.1:8083',
      },
    );
    // What `sluice distributed` would accept from a worker file.
    const parsed = parseWorkerConfig(flow.workerConfig, 'distributed');
    assert.equal(parsed.mode, 'distributed');
  });

  test("the connectors carry MM2's names and class names, the clusters and the flow's keys", () => {
    const flow = planMirrorMaker(
      {
        ...base,
        topics: 'x.*',
        'A->B.topics': 'orders.*',
        'tasks.max': '4',
        'A->B.emit.heartbeats.enabled': 'false',
      },
      null,
    ).flows[0]!;
    assert.deepEqual([...flow.connectors.keys()], [...MIRROR_MAKER_CONNECTORS]);
    const source = flow.connectors.get('MirrorSourceConnector')!;
    assert.equal(source['name'], 'MirrorSourceConnector');
    assert.equal(source['connector.class'], 'org.apache.kafka.connect.mirror.MirrorSourceConnector');
    assert.equal(source['source.cluster.alias'], 'A');
    assert.equal(source['target.cluster.alias'], 'B');
    assert.equal(source['source.cluster.bootstrap.servers'], 'a:9092');
    assert.equal(source['target.cluster.bootstrap.servers'], 'b:9092');
    assert.equal(source['topics'], 'orders.*', 'the flow key wins over the top-level one');
    assert.equal(source['tasks.max'], '4');
    assert.equal(source['emit.heartbeats.enabled'], 'false');
    assert.equal(source['enabled'], undefined);
    assert.equal(
      flow.connectors.get('MirrorCheckpointConnector')!['connector.class'],
      'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
    );
  });

  test('internal topic names, group and replication factors: top-level keys, <target>. keys, top-level wins as in MM2', () => {
    const flow = planMirrorMaker(
      {
        ...base,
        'config.storage.replication.factor': '1',
        'offset.storage.replication.factor': '1',
        'B.status.storage.replication.factor': '2',
        'B.offset.storage.replication.factor': '3',
        'B.group.id': 'mirror-x',
        'B.config.storage.topic': 'cfg-x',
        'offset.storage.topic': 'off-x',
        'B.scheduled.rebalance.max.delay.ms': '5000',
      },
      null,
    ).flows[0]!;
    const w = flow.workerConfig;
    assert.equal(w['config.storage.replication.factor'], '1');
    assert.equal(w['offset.storage.replication.factor'], '1', 'top-level wins over B.');
    assert.equal(w['status.storage.replication.factor'], '2');
    assert.equal(w['group.id'], 'mirror-x');
    assert.equal(w['config.storage.topic'], 'cfg-x');
    assert.equal(w['offset.storage.topic'], 'off-x');
    assert.equal(w['status.storage.topic'], 'mm2-status.A.internal');
    assert.equal(w['scheduled.rebalance.max.delay.ms'], '5000');
  });

  test('worker and process keys, top-level or per cluster, stay out of connector configs', () => {
    const flow = planMirrorMaker(
      {
        ...base,
        listeners: 'http://127.0.0.1:9000',
        'log.level': 'DEBUG',
        'offset.flush.interval.ms': '1000',
        'config.storage.replication.factor': '1',
        'producer.linger.ms': '5',
        'replication.factor': '1',
        'B.listeners': 'http://10.0.0.1:8083',
        'B.rest.advertised.host.name': 'mirror-1',
        'B.group.id': 'g',
        'B.session.timeout.ms': '6000',
        'A.config.storage.topic': 'cfg',
        'B.producer.linger.ms': '7',
        'B.client.id': 'to-b',
      },
      null,
    ).flows[0]!;
    const source = flow.connectors.get('MirrorSourceConnector')!;
    const clusterKeys = Object.keys(source).filter((k) => /^(source|target)\.cluster\./.test(k));
    assert.deepEqual(clusterKeys.sort(), [
      'source.cluster.alias',
      'source.cluster.bootstrap.servers',
      'target.cluster.alias',
      'target.cluster.bootstrap.servers',
      'target.cluster.client.id',
      'target.cluster.producer.linger.ms',
    ]);
    assert.equal(flow.workerConfig['rest.advertised.host.name'], 'mirror-1');
    assert.equal(flow.workerConfig['client.id'], 'to-b');
    for (const key of [
      'listeners',
      'log.level',
      'offset.flush.interval.ms',
      'config.storage.replication.factor',
      'producer.linger.ms',
    ]) {
      assert.equal(source[key], undefined, key);
    }
    assert.equal(source['replication.factor'], '1');
    assert.equal(flow.workerConfig['offset.flush.interval.ms'], '1000');
    assert.equal(
      flow.workerConfig['producer.linger.ms'],
      '7',
      'B.producer.* wins over the top-level producer.*',
    );
    assert.equal(flow.workerConfig['log.level'], 'DEBUG');
  });

  test('offsets are committed every 5 s unless the file says otherwise', () => {
    assert.equal(planMirrorMaker(base, null).flows[0]!.workerConfig['offset.flush.interval.ms'], '5000');
  });

  test('REST listeners: the port goes up by one per further flow; <target>.listeners; port 0 stays 0', () => {
    const all = {
      ...base,
      clusters: 'A, B, C',
      'C.bootstrap.servers': 'c:9092',
      'B->A.enabled': 'true',
      'A->C.enabled': 'true',
      'B->C.enabled': 'true',
      listeners: 'http://127.0.0.1:9000',
      'C.listeners': 'http://:9100',
    };
    const listeners = Object.fromEntries(
      planMirrorMaker(all, null).flows.map((f) => [f.name, f.workerConfig['listeners']]),
    );
    assert.deepEqual(listeners, {
      'A->B': 'http://127.0.0.1:9000',
      'A->C': 'http://:9100',
      'B->A': 'http://127.0.0.1:9001',
      'B->C': 'http://:9101',
    });
    const zero = planMirrorMaker(
      { ...all, listeners: 'http://127.0.0.1:0', 'C.listeners': 'http://[::1]:0' },
      null,
    );
    assert.deepEqual(
      zero.flows.map((f) => f.workerConfig['listeners']),
      ['http://127.0.0.1:0', 'http://[::1]:0', 'http://127.0.0.1:0', 'http://[::1]:0'],
    );
    assert.equal(flowListener('http://localhost:8083, http://10.0.0.1:8083', 2), 'http://localhost:8085');
  });

  test('--clusters keeps only the flows into the named targets and rejects unknown aliases', () => {
    const props = { ...base, 'B->A.enabled': 'true' };
    assert.deepEqual(
      planMirrorMaker(props, ['A']).flows.map((f) => f.name),
      ['B->A'],
    );
    assert.throws(() => planMirrorMaker(props, ['C']), /--clusters names "C"/);
  });

  test('disabled flows and missing clusters', () => {
    assert.equal(planMirrorMaker({ ...base, 'A->B.enabled': 'false' }, null).flows.length, 0);
    assert.throws(() => planMirrorMaker({ 'A->B.enabled': 'true' }, null), /clusters/);
    assert.throws(
      () => planMirrorMaker({ clusters: 'A, B', 'A.bootstrap.servers': 'a:1' }, null, '/etc/mm2.properties'),
      (error: unknown) =>
        error instanceof SluiceError &&
        error.code === 'MIRROR_CONFIG_INVALID' &&
        error.message.includes('/etc/mm2.properties') &&
        error.message.includes('"B.bootstrap.servers" is missing'),
    );
  });

  test('connector configs compare by keys and values, not order', () => {
    assert.ok(sameConnectorConfig({ a: '1', b: '2' }, { b: '2', a: '1' }));
    assert.ok(!sameConnectorConfig({ a: '1' }, { a: '1', b: '2' }));
    assert.ok(!sameConnectorConfig({ a: '1', b: '2' }, { a: '1', c: '2' }));
    assert.ok(!sameConnectorConfig({ a: '1' }, { a: '2' }));
  });
});
