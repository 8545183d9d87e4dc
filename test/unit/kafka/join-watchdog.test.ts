// The clock of a consumer's wait for its group assignment: reports while waiting, one `overdue` per member
// past its deadline, the whole wait kept across fresh members, nothing once the member joined.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { JoinWatchdog } from '../../../runtime/kafka/join-watchdog.js';

let now = 0;
const events: string[] = [];

function watchdog(): JoinWatchdog {
  return new JoinWatchdog(
    { overdueAfterMs: 20_000, reportEveryMs: 5_000 },
    {
      waiting: (waited, since) => events.push(`waiting ${waited} since ${since}`),
      overdue: (waited) => events.push(`overdue ${waited}`),
    },
    () => now,
  );
}

/** Moves the fake clock and the timers forward together, one report interval at a time. */
function advance(ms: number): void {
  for (let left = ms; left > 0; left -= 5_000) {
    const step = Math.min(5_000, left);
    now += step;
    mock.timers.tick(step);
  }
}

beforeEach(() => {
  now = 1_000;
  events.length = 0;
  mock.timers.enable({ apis: ['setTimeout'] });
});
afterEach(() => mock.timers.reset());

test('a quick join reports nothing', () => {
  const w = watchdog();
  w.joining();
  advance(4_000);
  w.joined();
  advance(30_000);
  assert.deepEqual([...events], []);
});

test('a long wait is reported every interval, then overdue once at the deadline', () => {
  const w = watchdog();
  w.joining();
  advance(30_000);
  assert.deepEqual(
    [...events],
    ['waiting 5000 since 1000', 'waiting 10000 since 1000', 'waiting 15000 since 1000', 'overdue 20000'],
  );
  assert.equal(w.waiting, true);
});

test('a fresh member gets its own deadline while the reported wait goes on', () => {
  const w = watchdog();
  w.joining();
  advance(20_000);
  events.length = 0;
  w.freshMember();
  advance(20_000);
  assert.deepEqual(
    [...events],
    ['waiting 25000 since 1000', 'waiting 30000 since 1000', 'waiting 35000 since 1000', 'overdue 40000'],
  );
});

test('joining again while waiting keeps the start of the wait; after a join a new wait starts afresh', () => {
  const w = watchdog();
  w.joining();
  advance(10_000);
  w.joining();
  advance(5_000);
  assert.deepEqual(events.at(-1), 'waiting 15000 since 1000');
  w.joined();
  assert.equal(w.waiting, false);
  events.length = 0;
  w.joining();
  advance(5_000);
  assert.deepEqual([...events], ['waiting 5000 since 16000']);
  w.stop();
  advance(30_000);
  assert.deepEqual([...events], ['waiting 5000 since 16000']);
});
