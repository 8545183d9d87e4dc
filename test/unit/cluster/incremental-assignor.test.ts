import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assign,
  emptyAssignorState,
  type Assignment,
  type AssignorResult,
  type AssignorState,
} from '../../../runtime/cluster/incremental-assignor.js';
import { taskKey } from '../../../runtime/cluster/connector-task-key.js';
import type { ConnectorTaskId } from '../../../runtime/cluster/rest-types.js';

const tasksOf = (connector: string, n: number): ConnectorTaskId[] =>
  Array.from({ length: n }, (_, task) => ({ connector, task }));
const none: Assignment = { connectors: [], tasks: [] };

/** A small cluster simulation: members run what they were assigned, minus what was revoked. */
class Cluster {
  owned = new Map<string, Assignment>();
  workerOf = new Map<string, string>();
  state: AssignorState = emptyAssignorState();
  now = 1_000_000;
  connectors: string[] = [];
  tasks: ConnectorTaskId[] = [];
  /** Every task start, per member. */
  starts: { member: string; task: string }[] = [];

  constructor(readonly maxDelayMs = 0) {}

  join(memberId: string, workerId = memberId): void {
    this.owned.set(memberId, none);
    this.workerOf.set(memberId, workerId);
  }

  leave(memberId: string): void {
    this.owned.delete(memberId);
    this.workerOf.delete(memberId);
  }

  round(): AssignorResult {
    const result = assign({
      members: [...this.owned].map(([memberId, owned]) => ({
        memberId,
        workerId: this.workerOf.get(memberId)!,
        owned,
      })),
      connectors: this.connectors,
      tasks: this.tasks,
      now: this.now,
      maxDelayMs: this.maxDelayMs,
      state: this.state,
    });
    // Safety: nothing new to a member may still be owned by another member in this round.
    for (const [member, a] of result.assignments) {
      const before = new Set(this.owned.get(member)!.tasks.map(taskKey));
      for (const t of a.assigned.tasks.map(taskKey)) {
        if (before.has(t)) continue;
        for (const [other, o] of this.owned) {
          if (other !== member)
            assert.ok(
              !o.tasks.map(taskKey).includes(t),
              `${t} given to ${member} while ${other} still runs it`,
            );
        }
        this.starts.push({ member, task: t });
      }
    }
    for (const [member, a] of result.assignments) this.owned.set(member, a.assigned);
    this.state = result.state;
    return result;
  }

  /** Rounds until nobody revokes anything (members with revocations rejoin at once). */
  settle(max = 5): AssignorResult {
    for (let i = 0; i < max; i++) {
      const r = this.round();
      if (
        [...r.assignments.values()].every(
          (a) => a.revoked.tasks.length === 0 && a.revoked.connectors.length === 0,
        )
      )
        return r;
    }
    throw new Error('assignment did not settle');
  }

  taskCounts(): Record<string, number> {
    return Object.fromEntries([...this.owned].map(([m, a]) => [m, a.tasks.length]));
  }

  allTasks(): string[] {
    return [...this.owned.values()].flatMap((a) => a.tasks.map(taskKey)).sort();
  }
}

describe('incremental cooperative assignor', () => {
  test('six tasks over three workers: two each, the connector on one of them', () => {
    const c = new Cluster();
    for (const m of ['a', 'b', 'c']) c.join(m);
    c.connectors = ['gen'];
    c.tasks = tasksOf('gen', 6);
    const r = c.round();
    assert.deepEqual(c.taskCounts(), { a: 2, b: 2, c: 2 });
    assert.equal([...c.owned.values()].flatMap((a) => a.connectors).length, 1);
    assert.equal(r.rebalanceDelayMs, null);
    assert.deepEqual(c.allTasks(), tasksOf('gen', 6).map(taskKey).sort());
  });

  test('counts never differ by more than one, across connectors', () => {
    const c = new Cluster();
    for (const m of ['a', 'b', 'c']) c.join(m);
    c.connectors = ['x', 'y', 'z', 'w'];
    c.tasks = [...tasksOf('x', 3), ...tasksOf('y', 4), ...tasksOf('z', 1)];
    c.settle();
    const counts = Object.values(c.taskCounts());
    assert.equal(
      counts.reduce((s, n) => s + n, 0),
      8,
    );
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, JSON.stringify(c.taskCounts()));
    const connectorCounts = [...c.owned.values()].map((a) => a.connectors.length);
    assert.ok(Math.max(...connectorCounts) - Math.min(...connectorCounts) <= 1);
  });

  test('a new worker gets a share; only the tasks that move are revoked, in a round that assigns nothing new', () => {
    const c = new Cluster();
    for (const m of ['a', 'b', 'c']) c.join(m);
    c.connectors = ['gen'];
    c.tasks = tasksOf('gen', 8);
    c.settle();
    const before = new Map([...c.owned].map(([m, a]) => [m, new Set(a.tasks.map(taskKey))]));
    c.starts = [];
    c.join('d');
    const first = c.round();
    const revoked = [...first.assignments.values()].flatMap((a) => a.revoked.tasks.map(taskKey));
    assert.equal(
      first.assignments.get('d')!.assigned.tasks.length,
      0,
      'revoked tasks must wait for the next round',
    );
    assert.equal(revoked.length, 2, 'exactly the surplus (8/4 = 2 each) is revoked');
    c.settle();
    assert.deepEqual(c.taskCounts(), { a: 2, b: 2, c: 2, d: 2 });
    // Every task that was not revoked stayed where it was and was never restarted.
    assert.deepEqual(c.starts.map((s) => s.task).sort(), revoked.sort());
    assert.ok(c.starts.every((s) => s.member === 'd'));
    for (const [m, set] of before) for (const t of c.owned.get(m)!.tasks.map(taskKey)) assert.ok(set.has(t));
  });

  test("a departed worker's tasks wait for the scheduled delay, then go to the remaining workers", () => {
    const c = new Cluster(10_000);
    for (const m of ['a', 'b', 'c']) c.join(m);
    c.connectors = ['gen'];
    c.tasks = tasksOf('gen', 6);
    c.settle();
    const lostTasks = c.owned.get('c')!.tasks.map(taskKey);
    const survivors = { a: c.owned.get('a')!.tasks.map(taskKey), b: c.owned.get('b')!.tasks.map(taskKey) };
    c.leave('c');
    c.now += 100;
    const held = c.round();
    assert.equal(held.rebalanceDelayMs, 10_000);
    assert.deepEqual(
      c.taskCounts(),
      { a: 2, b: 2 },
      'nothing moves before the delay: the worker may be restarting',
    );
    assert.ok([...held.assignments.values()].every((a) => a.revoked.tasks.length === 0));
    c.now += 4_000;
    assert.equal(c.round().rebalanceDelayMs, 6_000, 'a round in between does not restart the clock');
    c.now += 6_000;
    const due = c.round();
    assert.equal(due.rebalanceDelayMs, null);
    assert.deepEqual(c.taskCounts(), { a: 3, b: 3 });
    assert.deepEqual(c.allTasks(), tasksOf('gen', 6).map(taskKey).sort());
    for (const t of lostTasks) assert.ok(c.allTasks().includes(t));
    for (const t of survivors.a)
      assert.ok(c.owned.get('a')!.tasks.map(taskKey).includes(t), 'survivors keep their tasks');
  });

  test('a worker that comes back within the delay (new member id, same worker id) gets its tasks back at once', () => {
    const c = new Cluster(60_000);
    c.join('m1', 'w1');
    c.join('m2', 'w2');
    c.connectors = ['gen'];
    c.tasks = tasksOf('gen', 4);
    c.settle();
    const w2tasks = c.owned.get('m2')!.tasks.map(taskKey).sort();
    c.leave('m2');
    c.round();
    c.join('m2-restarted', 'w2');
    c.now += 1_000;
    const r = c.round();
    assert.deepEqual(c.owned.get('m2-restarted')!.tasks.map(taskKey).sort(), w2tasks);
    assert.equal(r.rebalanceDelayMs, null);
  });

  test('with no delay, a departed worker’s tasks are reassigned in the next round', () => {
    const c = new Cluster(0);
    for (const m of ['a', 'b', 'c']) c.join(m);
    c.connectors = ['gen'];
    c.tasks = tasksOf('gen', 6);
    c.settle();
    c.leave('b');
    c.round();
    assert.deepEqual(c.taskCounts(), { a: 3, c: 3 });
  });

  test('tasks of a deleted connector are revoked; a shrunk task list revokes the extra tasks', () => {
    const c = new Cluster();
    c.join('a');
    c.join('b');
    c.connectors = ['x', 'y'];
    c.tasks = [...tasksOf('x', 2), ...tasksOf('y', 4)];
    c.settle();
    c.connectors = ['y'];
    c.tasks = tasksOf('y', 2);
    const r = c.round();
    const revoked = [...r.assignments.values()].flatMap((a) => a.revoked.tasks.map(taskKey)).sort();
    assert.deepEqual(
      revoked,
      [...tasksOf('x', 2), { connector: 'y', task: 2 }, { connector: 'y', task: 3 }].map(taskKey).sort(),
    );
    assert.deepEqual(c.allTasks(), tasksOf('y', 2).map(taskKey).sort());
    assert.deepEqual(
      [...c.owned.values()].flatMap((a) => a.connectors),
      ['y'],
    );
  });

  test('a task reported by two members (e.g. a zombie) is kept by one and revoked from the other', () => {
    const r = assign({
      members: [
        { memberId: 'a', workerId: 'a', owned: { connectors: [], tasks: [{ connector: 'x', task: 0 }] } },
        { memberId: 'b', workerId: 'b', owned: { connectors: [], tasks: [{ connector: 'x', task: 0 }] } },
      ],
      connectors: ['x'],
      tasks: [{ connector: 'x', task: 0 }],
      now: 0,
      maxDelayMs: 0,
      state: emptyAssignorState(),
    });
    assert.deepEqual(r.assignments.get('a')!.assigned.tasks, [{ connector: 'x', task: 0 }]);
    assert.deepEqual(r.assignments.get('b')!.revoked.tasks, [{ connector: 'x', task: 0 }]);
  });

  test('random joins, leaves and reconfigurations never run a task twice and settle balanced', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const c = new Cluster(5_000);
    let nextMember = 0;
    for (let i = 0; i < 3; i++) c.join(`m${nextMember++}`);
    c.connectors = ['a', 'b'];
    c.tasks = [...tasksOf('a', 5), ...tasksOf('b', 3)];
    for (let step = 0; step < 200; step++) {
      const action = random(6);
      if (action === 0) c.join(`m${nextMember++}`);
      else if (action === 1 && c.owned.size > 1) c.leave([...c.owned.keys()][random(c.owned.size)]!);
      else if (action === 2) c.tasks = [...tasksOf('a', 1 + random(8)), ...tasksOf('b', random(4))];
      c.now += random(4_000);
      c.round();
    }
    c.now += 10_000;
    c.settle();
    c.settle();
    const counts = Object.values(c.taskCounts());
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, JSON.stringify(c.taskCounts()));
    assert.deepEqual(c.allTasks(), c.tasks.map(taskKey).sort());
  });
});
