// GET /health tells an orchestrator whether the worker can do its job: healthy (200) with Kafka up, and
// unhealthy (500, KIP-1017 body) naming Kafka within seconds when Kafka cannot be reached.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, waitFor, WorkerProcess } from '../../support/worker-process.js';

interface HealthBody {
  status: string;
  message: string;
}

describe('GET /health', { timeout: 90_000 }, () => {
  const workers: WorkerProcess[] = [];
  after(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
  });

  test('healthy with Kafka reachable', async () => {
    const worker = await WorkerProcess.start();
    workers.push(worker);
    const health = await waitFor(
      async () => {
        const reply = await worker.rest<HealthBody>('GET', '/health');
        return reply.status === 200 ? reply : false;
      },
      30_000,
      'healthy',
    );
    assert.equal(health.body.status, 'healthy');
  });

  test('unhealthy, naming Kafka, when nothing answers at bootstrap.servers', async () => {
    const deadPort = await freePort();
    const worker = await WorkerProcess.start({
      properties: { 'bootstrap.servers': `127.0.0.1:${deadPort}` },
    });
    workers.push(worker);
    const started = Date.now();
    const health = await waitFor(
      async () => {
        const reply = await worker.rest<HealthBody>('GET', '/health');
        return reply.status !== 503 ? reply : false;
      },
      30_000,
      'a health answer after start-up',
    );
    console.log(`unhealthy after ${Date.now() - started} ms`);
    assert.equal(health.status, 500, health.text);
    assert.equal(health.body.status, 'unhealthy');
    assert.match(health.body.message, /Kafka/);
    // It stays so while Kafka stays away (not healthy on a later check).
    const again = await worker.rest<HealthBody>('GET', '/health');
    assert.equal(again.status, 500, again.text);
  });
});
