// The group assignment that sink consumers use: Java's RoundRobinAssignor, where each member gets only
// partitions of topics it subscribes to (kafkajs's own assigner hands the leader's topics to everyone).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignRoundRobin } from '../../../runtime/kafka/subscription-round-robin.js';

const partitions = (counts: Record<string, number>) => (topic: string) =>
  Array.from({ length: counts[topic] ?? 0 }, (_, i) => i);

test('members with different subscriptions each get their own topics', () => {
  const assignment = assignRoundRobin(
    [
      { memberId: 'a', topics: ['orders'] },
      { memberId: 'b', topics: ['payments'] },
    ],
    partitions({ orders: 1, payments: 1 }),
  );
  assert.deepEqual(Object.fromEntries(assignment), { a: { orders: [0] }, b: { payments: [0] } });
});

test('shared topics go round robin in member id order; a member with nothing still gets an (empty) assignment', () => {
  const assignment = assignRoundRobin(
    [
      { memberId: 'm2', topics: ['t', 'u'] },
      { memberId: 'm1', topics: ['t', 'u'] },
      { memberId: 'm3', topics: ['t'] },
      { memberId: 'm4', topics: ['other'] },
    ],
    partitions({ t: 4, u: 2, other: 0 }),
  );
  assert.deepEqual(Object.fromEntries(assignment), {
    m1: { t: [0, 3], u: [1] },
    m2: { t: [1], u: [0] },
    m3: { t: [2] },
    m4: {},
  });
});

test('every partition of every subscribed topic is assigned exactly once', () => {
  const members = ['x', 'y', 'z'].map((memberId, i) => ({ memberId, topics: ['a', 'b', 'c'].slice(i) }));
  const assignment = assignRoundRobin(members, partitions({ a: 5, b: 3, c: 7 }));
  const seen = [...assignment.values()].flatMap((owned) =>
    Object.entries(owned).flatMap(([topic, ps]) => ps.map((p) => `${topic}-${p}`)),
  );
  assert.equal(seen.length, 15);
  assert.equal(new Set(seen).size, 15);
  for (const m of members)
    for (const topic of Object.keys(assignment.get(m.memberId)!)) assert.ok(m.topics.includes(topic));
});
