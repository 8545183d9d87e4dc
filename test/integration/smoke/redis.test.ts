// Redis serves bullmq: a job is added, processed by a worker and its result stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { redisConnection } from '../../support/endpoints.js';

test('bullmq adds a job on redis and a worker processes it', async () => {
  const name = `smoke-${randomUUID()}`;
  const connection = redisConnection();
  const queue = new Queue(name, { connection });
  const worker = new Worker(name, async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
    connection,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    // The worker's own events, not a QueueEvents stream subscribed after the fact: no completion can be missed.
    const completed = new Promise<string | undefined>((resolve, reject) => {
      worker.on('completed', (job) => resolve(job.id));
      worker.on('failed', (_job, error) => reject(error));
      timer = setTimeout(() => reject(new Error('no job completed within 30 s')), 30_000);
    });
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    const job = await queue.add('double', { n: 21 });
    assert.equal(await completed, job.id);
    const stored = await queue.getJob(job.id!);
    assert.deepEqual(stored?.returnvalue, { doubled: 42 }, 'the result is stored in Redis');
  } finally {
    clearTimeout(timer);
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
});
