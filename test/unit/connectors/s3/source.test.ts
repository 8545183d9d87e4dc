import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseObjectKey, type ObjectKeyLayout } from '../../../../connectors/s3/layout/object-key.js';
import { s3SourceIssues } from '../../../../connectors/s3/source/source-config.js';
import { SourcePartition } from '../../../../connectors/s3/source/source-partition.js';
import { taskFor } from '../../../../connectors/s3/source/task-assignment.js';
import { parseTime, TimeWindow } from '../../../../connectors/s3/source/time-window.js';
import { TopicRenamer } from '../../../../connectors/s3/source/topic-renamer.js';

const LAYOUT: ObjectKeyLayout = {
  topicsDir: 'topics',
  directoryDelim: '/',
  fileDelim: '+',
  offsetPadWidth: 10,
};

function object(key: string) {
  const parts = parseObjectKey(LAYOUT, key, '.json');
  assert.ok(parts !== null, key);
  return { key, parts };
}

/** Everything the partition hands out, in order, as [key, skip]. */
function drain(partition: SourcePartition): [string, number][] {
  const out: [string, number][] = [];
  for (let next = partition.peek(); next !== null; next = partition.peek()) {
    out.push([next.object.key, next.skip]);
    partition.take(next.object);
  }
  return out;
}

test('objects of one partition are read in start-offset order across time-based directories', () => {
  const partition = new SourcePartition('t', 0, null);
  for (const key of [
    'topics/t/dt=2026-01-02/t+0+0000000007.json',
    'topics/t/dt=2026-01-01/t+0+0000000000.json',
    'topics/t/dt=2026-01-03/t+0+0000000003.json',
    'topics/t/dt=2026-01-01/t+0+0000000010.json',
  ])
    partition.offer(object(key));
  partition.settle();
  assert.deepEqual(
    drain(partition).map(([key]) => key.slice(key.lastIndexOf('+') + 1)),
    ['0000000000.json', '0000000003.json', '0000000007.json', '0000000010.json'],
  );
});

test('a committed position skips earlier objects and resumes its own object at the index', () => {
  const at = object('topics/t/partition=0/t+0+0000000005.json');
  const partition = new SourcePartition('t', 0, { key: at.key, startOffset: 5, index: 3 });
  for (const key of ['t+0+0000000000.json', 't+0+0000000005.json', 't+0+0000000009.json'])
    partition.offer(object(`topics/t/partition=0/${key}`));
  partition.offer(object('topics/t/partition=0/t+0+0000000009.json')); // listed again: queued once
  partition.settle();
  assert.deepEqual(drain(partition), [
    ['topics/t/partition=0/t+0+0000000005.json', 3],
    ['topics/t/partition=0/t+0+0000000009.json', 0],
  ]);
});

test('an object read to its end is not queued again by the next listing', () => {
  const partition = new SourcePartition('t', 0, null);
  const only = object('topics/t/partition=0/t+0+0000000000.json');
  partition.offer(only);
  partition.settle();
  partition.take(partition.peek()!.object);
  partition.advance(only, 10, true);
  partition.offer(only);
  assert.equal(partition.hasPending, false);
});

test('topic.regex renames whole matches with groups and leaves other topics alone', () => {
  const renamer = new TopicRenamer('(orders)-(.*)', 'restored-$2-$1');
  assert.equal(renamer.targetOf('orders-eu'), 'restored-eu-orders');
  assert.equal(renamer.targetOf('payments'), 'payments');
  assert.equal(renamer.targetOf('x-orders-eu'), 'x-orders-eu');
  assert.equal(new TopicRenamer(null, null).targetOf('orders'), 'orders');
});

test('start.time and end.time: ISO-8601 or epoch ms, [start, end), null timestamps kept', () => {
  assert.equal(parseTime('2026-01-31T12:00:00Z'), Date.UTC(2026, 0, 31, 12));
  assert.equal(parseTime('1700000000000'), 1_700_000_000_000);
  assert.equal(parseTime('March 7'), null);
  assert.equal(parseTime(''), null);
  const window = new TimeWindow(100, 200);
  assert.deepEqual(
    [99, 100, 199, 200, null].map((t) => window.includes(t)),
    [false, true, true, false, true],
  );
});

test('partitions of a topic are spread evenly over the tasks', () => {
  const counts = [0, 0, 0];
  for (let p = 0; p < 12; p++) counts[taskFor('orders', p, 3)]!++;
  assert.deepEqual(counts, [4, 4, 4]);
});

test('config: a rename needs both keys; a time filter needs stored timestamps', () => {
  const base = { 's3.bucket.name': 'b', 'format.class': 'JsonFormat', topics: 't' };
  assert.deepEqual(s3SourceIssues(base), []);
  assert.deepEqual(
    s3SourceIssues({ ...base, 'topic.regex': '(.*)' }).map((i) => i.key),
    ['topic.regex.replacement'],
  );
  assert.deepEqual(
    s3SourceIssues({ ...base, 'start.time': '2026-01-01T00:00:00Z' }).map((i) => i.key),
    ['start.time'],
  );
  assert.deepEqual(
    s3SourceIssues({
      ...base,
      'format.output.fields': 'value,timestamp',
      'start.time': '2000',
      'end.time': '1000',
    }).map((i) => i.key),
    ['end.time'],
  );
  assert.deepEqual(
    s3SourceIssues({ ...base, 'end.time': 'yesterday' }).map((i) => i.key),
    ['end.time'],
  );
});
