// The reader of an internal topic over a fake kafkajs: a consumer that kafkajs will not restart is
// replaced, and the replacement (which starts from the beginning again) delivers no record twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kafka } from 'kafkajs';
import { KafkajsTopicReader } from '../../../runtime/kafka/kafkajs-topic-reader.js';
import { waitFor } from '../../support/sluice-process.js';

interface FakeConsumer {
  crash(error: Error): void;
  deliver(offsets: readonly number[]): Promise<void>;
  disconnected: boolean;
}

function fakeKafka(endOffset: () => number): { kafka: Kafka; consumers: FakeConsumer[] } {
  const consumers: FakeConsumer[] = [];
  const kafka = {
    admin: () => ({
      connect: async () => {},
      disconnect: async () => {},
      fetchTopicOffsets: async () => [
        { partition: 0, offset: String(endOffset()), high: String(endOffset()), low: '0' },
      ],
    }),
    consumer: () => {
      let onCrash: (event: { payload: { error: Error; restart: boolean } }) => void = () => {};
      let eachBatch: (payload: { batch: unknown }) => Promise<void> = async () => {};
      const fake: FakeConsumer = {
        disconnected: false,
        crash: (error) => onCrash({ payload: { error, restart: false } }),
        deliver: (offsets) =>
          eachBatch({
            batch: {
              topic: 't',
              partition: 0,
              messages: offsets.map((o) => ({
                offset: String(o),
                timestamp: '0',
                key: Buffer.from(`k${o}`),
                value: null,
              })),
              lastOffset: () => String(offsets.at(-1)),
            },
          }),
      };
      consumers.push(fake);
      return {
        events: { CRASH: 'consumer.crash', END_BATCH_PROCESS: 'consumer.end_batch_process' },
        on: (event: string, listener: typeof onCrash) => {
          if (event === 'consumer.crash') onCrash = listener;
          return () => {};
        },
        connect: async () => {},
        subscribe: async () => {},
        run: async (options: { eachBatch: typeof eachBatch }) => {
          eachBatch = options.eachBatch;
        },
        disconnect: async () => {
          fake.disconnected = true;
        },
      };
    },
  } as unknown as Kafka;
  return { kafka, consumers };
}

test('a consumer that crashed for good is replaced; the replacement delivers only what is new', async () => {
  let end = 0;
  const { kafka, consumers } = fakeKafka(() => end);
  const reader = new KafkajsTopicReader(kafka, 't');
  const delivered: number[] = [];
  await reader.start((m) => delivered.push(m.offset));
  end = 2;
  await consumers[0]!.deliver([0, 1]);
  await reader.readToEnd();

  consumers[0]!.crash(new Error('KafkaJSNonRetriableError: something kafkajs gives up on'));
  const replacement = await waitFor(() => consumers[1], 5_000, 'a replacement consumer');
  assert.equal(consumers[0]!.disconnected, true);
  end = 3;
  // It reads from the beginning again: records 0 and 1 come back, only 2 is new.
  await replacement.deliver([0, 1, 2]);
  await reader.readToEnd();
  assert.deepEqual(delivered, [0, 1, 2]);
  await reader.stop();
});

test('no replacement after stop()', async () => {
  const { kafka, consumers } = fakeKafka(() => 0);
  const reader = new KafkajsTopicReader(kafka, 't');
  await reader.start(() => {});
  await reader.stop();
  consumers[0]!.crash(new Error('crashed while stopping'));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(consumers.length, 1);
});
