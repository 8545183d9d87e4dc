// KafkaTopicLog starting and serving an internal topic while Kafka answers with transient errors, as it
// does for a topic created a moment ago by another worker started at the same instant: retriable errors
// are retried until the start-up deadline; fatal ones and an expired deadline fail start, naming why.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type { Kafka } from 'kafkajs';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { StartupDeadline } from '../../../runtime/errors/startup-deadline.js';
import type { ClusterKafkaClient, TopicTailReader } from '../../../runtime/kafka/cluster-types.js';
import { kafkaError } from '../../../runtime/kafka/kafka-errors.js';
import { KafkajsTopicReader } from '../../../runtime/kafka/kafkajs-topic-reader.js';
import type { ConsumedMessage, KafkaAdmin, KafkaProducer } from '../../../runtime/kafka/types.js';
import type { LogEntry } from '../../../runtime/storage/kafka-log.js';
import { KafkaTopicLog } from '../../../runtime/storage/kafka-topic-log.js';
import { FakeClock } from '../errors/fakes.js';

const idleReader = (): TopicTailReader => ({
  start: async () => {},
  readToEnd: async () => {},
  stop: async () => {},
});

function fakeCluster(
  admin: Partial<KafkaAdmin>,
  reader: () => TopicTailReader = idleReader,
  producer: Partial<KafkaProducer> = {},
): ClusterKafkaClient {
  return {
    admin: async () =>
      ({ close: async () => {}, listTopics: async () => ['connect-configs'], ...admin }) as KafkaAdmin,
    producer: async () => ({ send: async () => [], close: async () => {}, ...producer }) as KafkaProducer,
    groupConsumer: async () => {
      throw new Error('not used');
    },
    transactionalProducer: async () => {
      throw new Error('not used');
    },
    fenceProducers: async () => {
      throw new Error('not used');
    },
    topicReader: reader,
    groupMembership: async () => {
      throw new Error('not used');
    },
  };
}

const spec = { topic: 'connect-configs', partitions: 1, replicationFactor: 1 };

/** The error kafkajs raises for a partition whose leader the broker does not know yet, as runtime/kafka translates it. */
// Loaded with require() after the imports ran: runtime/kafka installs its record format before kafkajs loads,
// and an ESM `import kafkajs` would load kafkajs first (see runtime/kafka/kafkajs-library.ts).
const kafkajs = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');
const KafkaJSProtocolError = kafkajs.KafkaJSProtocolError as unknown as new (e: object) => Error;
const notLeader = (): Error =>
  new KafkaJSProtocolError({
    message: 'This server is not the leader for that topic-partition',
    type: 'NOT_LEADER_FOR_PARTITION',
    code: 6,
    retriable: true,
  });

describe('creating the internal topic', () => {
  test('a create that failed while the topic appears a moment later counts as created', async () => {
    let listings = 0;
    const log = new KafkaTopicLog(
      fakeCluster({
        // Not there at first; listed from the third look on, as when metadata lags behind the create.
        listTopics: async () => (++listings >= 3 ? ['connect-configs'] : []),
        createTopics: async () => {
          throw kafkaError('creating topic(s) connect-configs', notLeader());
        },
      }),
      spec,
      { clock: new FakeClock() },
    );
    await log.start(() => {});
    assert.ok(listings >= 3);
    await log.stop();
  });

  test('a create that failed for good: start fails at once, naming the topic, partitions and replication factor', async () => {
    let creates = 0;
    const log = new KafkaTopicLog(
      fakeCluster({
        listTopics: async () => [],
        createTopics: async () => {
          creates++;
          throw new SluiceError('KAFKA_FATAL', [
            'creating topic(s) connect-configs: Topic creation errors (INVALID_REPLICATION_FACTOR: Replication factor: 3 larger than available brokers: 1.)',
          ]);
        },
      }),
      { ...spec, replicationFactor: 3 },
      { topicAppearsTimeoutMs: 500, clock: new FakeClock() },
    );
    await assert.rejects(
      log.start(() => {}),
      (error: Error) => {
        assert.match(error.message, /connect-configs \(1 partition\(s\), replication factor 3\)/);
        assert.match(error.message, /larger than available brokers/);
        return true;
      },
    );
    assert.equal(creates, 1, 'a fatal error is not retried');
  });
});

describe('reading the internal topic at start-up', () => {
  test('the end offsets of a new topic fail twice with NOT_LEADER: start retries and succeeds', async () => {
    // The real reader over a fake kafkajs whose listOffsets answers NOT_LEADER twice (the reported crash).
    let listOffsets = 0;
    const kafka = {
      admin: () => ({
        connect: async () => {},
        disconnect: async () => {},
        fetchTopicOffsets: async () => {
          if (++listOffsets <= 2) throw notLeader();
          return [{ partition: 0, offset: '0', high: '0', low: '0' }];
        },
      }),
      consumer: () => ({
        events: { CRASH: 'consumer.crash' },
        on: () => () => {},
        connect: async () => {},
        subscribe: async () => {},
        run: async () => {},
        disconnect: async () => {},
      }),
    } as unknown as Kafka;
    const clock = new FakeClock();
    const log = new KafkaTopicLog(
      fakeCluster({}, () => new KafkajsTopicReader(kafka, spec.topic)),
      spec,
      { startup: new StartupDeadline(60_000, clock), clock },
    );
    await log.start(() => {});
    assert.equal(listOffsets, 3);
    assert.equal(clock.sleeps.length, 2, 'one backoff per retriable failure');
    await log.stop();
  });

  test('retriable errors past the start-up deadline fail with WORKER_STARTUP_TIMEOUT naming the step and the cause', async () => {
    const clock = new FakeClock();
    const log = new KafkaTopicLog(
      fakeCluster({}, () => ({
        ...idleReader(),
        start: async () => {
          throw kafkaError('listing the end offsets of topic connect-configs', notLeader());
        },
      })),
      spec,
      { startup: new StartupDeadline(30_000, clock), clock },
    );
    await assert.rejects(
      log.start(() => {}),
      (error: unknown) => {
        assert.ok(error instanceof SluiceError);
        assert.equal(error.code, 'WORKER_STARTUP_TIMEOUT');
        assert.match(error.message, /within 30000 ms: reading internal topic connect-configs to its end/);
        assert.match(error.message, /KAFKA_RETRIABLE: .*NOT_LEADER_FOR_PARTITION/);
        return true;
      },
    );
    assert.ok(clock.sleeps.length > 3, 'retried with backoff until the deadline');
  });

  test('a reader that starts over after a failed attempt delivers no record twice', async () => {
    const records = [0, 1, 2].map((offset): ConsumedMessage => ({
      topic: spec.topic,
      partition: 0,
      offset,
      timestamp: 0,
      timestampType: 'CreateTime',
      key: Buffer.from(`k${offset}`),
      value: Buffer.from('{}'),
      headers: [],
    }));
    let attempts = 0;
    const reader = (): TopicTailReader => ({
      ...idleReader(),
      start: async (onRecord) => {
        // The first attempt delivers two records, then fails; the next one delivers all from the start.
        const first = ++attempts === 1;
        for (const r of first ? records.slice(0, 2) : records) onRecord(r);
        if (first) throw kafkaError('reading topic connect-configs', notLeader());
      },
    });
    const seen: LogEntry[] = [];
    const clock = new FakeClock();
    const log = new KafkaTopicLog(fakeCluster({}, reader), spec, {
      startup: new StartupDeadline(60_000, clock),
      clock,
    });
    await log.start((entry) => seen.push(entry));
    assert.deepEqual(
      seen.map((e) => e.key),
      ['k0', 'k1', 'k2'],
    );
  });
});

describe('after start-up', () => {
  test('readToEnd and send retry retriable errors instead of failing their caller', async () => {
    let reads = 0;
    let sends = 0;
    const clock = new FakeClock();
    const log = new KafkaTopicLog(
      fakeCluster(
        {},
        () => ({
          ...idleReader(),
          readToEnd: async () => {
            if (++reads <= 2)
              throw kafkaError('listing the end offsets of topic connect-configs', notLeader());
          },
        }),
        {
          send: async () => {
            if (++sends <= 2)
              throw new SluiceError('KAFKA_PRODUCE_FAILED', ['connect-configs', 'NOT_LEADER']);
            return [];
          },
        },
      ),
      spec,
      { clock },
    );
    await log.start(() => {});
    await log.readToEnd();
    await log.send([{ key: 'k', value: null }]);
    assert.equal(reads, 3);
    assert.equal(sends, 3);
  });

  test('a fatal error reaches the caller at once', async () => {
    let reads = 0;
    const log = new KafkaTopicLog(
      fakeCluster({}, () => ({
        ...idleReader(),
        readToEnd: async () => {
          reads++;
          throw new SluiceError('KAFKA_FATAL', ['TOPIC_AUTHORIZATION_FAILED']);
        },
      })),
      spec,
      { clock: new FakeClock() },
    );
    await log.start(() => {});
    await assert.rejects(log.readToEnd(), /TOPIC_AUTHORIZATION_FAILED/);
    assert.equal(reads, 1);
  });
});

test('stop() while start keeps retrying ends the start, closing what it opened', async () => {
  let attempts = 0;
  let producerClosed = false;
  let stopping: Promise<void> | null = null;
  const clock = new FakeClock();
  const log = new KafkaTopicLog(
    fakeCluster(
      {},
      () => ({
        ...idleReader(),
        start: async () => {
          // The first attempt fails, and the worker is stopped (e.g. its REST port is taken) meanwhile.
          if (++attempts === 1) stopping = log.stop();
          throw kafkaError('listing the end offsets of topic connect-configs', notLeader());
        },
      }),
      {
        close: async () => {
          producerClosed = true;
        },
      },
    ),
    spec,
    { startup: new StartupDeadline(300_000, clock), clock },
  );
  await assert.rejects(
    log.start(() => {}),
    /connect-configs was stopped while starting/,
  );
  await stopping;
  assert.equal(attempts, 1, 'no attempt after stop()');
  assert.equal(producerClosed, true);
});
