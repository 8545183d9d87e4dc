import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaReachability } from '../../../runtime/cluster/kafka-reachability.js';
import type { KafkaAdmin } from '../../../runtime/kafka/types.js';

/** An admin whose clusterId() does what the test says; counts connects and closes. */
function fakeKafka(answer: () => Promise<string>) {
  const counts = { connects: 0, closes: 0, requests: 0 };
  const admin = {
    clusterId: () => {
      counts.requests++;
      return answer();
    },
    close: async () => {
      counts.closes++;
    },
  } as unknown as KafkaAdmin;
  return {
    counts,
    connect: async () => {
      counts.connects++;
      return admin;
    },
  };
}

describe('KafkaReachability', () => {
  test('no problem when Kafka answers; one client for every check', async () => {
    const kafka = fakeKafka(async () => 'cluster-1');
    const reachability = new KafkaReachability(kafka.connect, 1000);
    assert.equal(await reachability.problem(), null);
    assert.equal(await reachability.problem(), null);
    assert.equal(kafka.counts.connects, 1);
  });

  test('a failing request is the problem, and the next check starts a fresh client', async () => {
    let up = false;
    const kafka = fakeKafka(async () => {
      if (!up) throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1');
      return 'cluster-1';
    });
    const reachability = new KafkaReachability(kafka.connect, 1000);
    assert.match((await reachability.problem()) ?? '', /ECONNREFUSED/);
    assert.equal(kafka.counts.closes, 1);
    up = true;
    assert.equal(await reachability.problem(), null);
    assert.equal(kafka.counts.connects, 2);
  });

  test('no answer within the timeout is a problem; concurrent checks share one request', async () => {
    const kafka = fakeKafka(() => new Promise<string>(() => undefined));
    const reachability = new KafkaReachability(kafka.connect, 50);
    const [a, b] = await Promise.all([reachability.problem(), reachability.problem()]);
    assert.match(a ?? '', /did not answer a metadata request within 50 ms/);
    assert.equal(a, b);
    assert.equal(kafka.counts.requests, 1);
  });

  test('a connect that fails is a problem and is retried on the next check', async () => {
    let connects = 0;
    const reachability = new KafkaReachability(async () => {
      connects++;
      throw new Error('KAFKA_UNAVAILABLE');
    }, 1000);
    assert.match((await reachability.problem()) ?? '', /KAFKA_UNAVAILABLE/);
    assert.match((await reachability.problem()) ?? '', /KAFKA_UNAVAILABLE/);
    assert.equal(connects, 2);
  });
});
