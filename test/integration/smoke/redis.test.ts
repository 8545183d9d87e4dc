// Redis serves bullmq: a job is added, processed by a worker and its result stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { redisConnection } from '../../support/endpoints.js';

test('bullmq adds a job on redis and a worker processes it', async () => {
  const name = `smoke-${randomUUID()}`;
  const connection = redisConnection();
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  const worker = new Worker(name, async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
    connection,
  });
  try {
    await events.waitUntilReady();
    const job = await queue.add('double', { n: 21 });
    const result = await job.waitUntilFinished(events, 30_000);
    assert.deepEqual(result, { doubled: 42 });
  } finally {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
});
