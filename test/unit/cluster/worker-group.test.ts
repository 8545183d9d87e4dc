import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decodeAssignment,
  decodeMetadata,
  encodeAssignment,
  encodeMetadata,
} from '../../../runtime/cluster/group-protocol.js';
import type { Assignment } from '../../../runtime/cluster/incremental-assignor.js';
import { WorkerGroup, type DesiredWork } from '../../../runtime/cluster/worker-group.js';
import type { WorkerAssignment } from '../../../runtime/cluster/group-protocol.js';
import type { GroupMembership, HeartbeatOutcome, JoinedGroup } from '../../../runtime/kafka/cluster-types.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A coordinator with this worker as its only member; heartbeats answer what the test says. */
class SoloCoordinator implements GroupMembership {
  joins: Buffer[] = [];
  generation = 0;
  heartbeatAnswer: () => Promise<HeartbeatOutcome> = async () => 'ok';
  left = false;
  reachable = true;

  async join(metadata: Buffer): Promise<JoinedGroup> {
    if (!this.reachable) throw new Error('coordinator unreachable');
    this.joins.push(metadata);
    this.generation++;
    return {
      generationId: this.generation,
      memberId: 'm1',
      leaderId: 'm1',
      members: [{ memberId: 'm1', metadata }],
    };
  }
  async sync(_generation: number, assignments: ReadonlyMap<string, Buffer>): Promise<Buffer> {
    return assignments.get('m1')!;
  }
  heartbeat(): Promise<HeartbeatOutcome> {
    if (!this.reachable) return Promise.reject(new Error('coordinator unreachable'));
    return this.heartbeatAnswer();
  }
  async leave(): Promise<void> {
    this.left = true;
  }
  async close(): Promise<void> {}
}

class FakeHerder {
  assigned: Assignment = { connectors: [], tasks: [] };
  desiredWork: DesiredWork = { connectors: [], tasks: [] };
  assignments: WorkerAssignment[] = [];
  lost: string[] = [];

  owned(): Assignment {
    return this.assigned;
  }
  configOffset(): number {
    return 7;
  }
  async desired(): Promise<DesiredWork> {
    return this.desiredWork;
  }
  async onAssignment(_generation: number, a: WorkerAssignment): Promise<void> {
    this.assignments.push(a);
    this.assigned = a.assigned;
  }
  async onMembershipLost(reason: string): Promise<void> {
    this.lost.push(reason);
    this.assigned = { connectors: [], tasks: [] };
  }
}

function group(coordinator: SoloCoordinator, herder: FakeHerder, sessionTimeoutMs = 6_000): WorkerGroup {
  return new WorkerGroup(
    {
      membership: coordinator,
      url: 'http://w1:8083',
      workerId: 'w1:8083',
      sessionTimeoutMs,
      heartbeatIntervalMs: 50,
      maxDelayMs: 1_000,
      logger: silent,
    },
    herder,
  );
}

async function until(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('group protocol', () => {
  test('metadata and assignments survive the round trip; the protocol is versioned JSON', () => {
    const metadata = {
      url: 'http://h:1',
      workerId: 'h:1',
      configOffset: 12,
      owned: { connectors: ['a'], tasks: [{ connector: 'a', task: 2 }] },
    };
    assert.deepEqual(decodeMetadata(encodeMetadata(metadata)), metadata);
    assert.equal(JSON.parse(encodeMetadata(metadata).toString()).version, 1);
    const assignment: WorkerAssignment = {
      leaderId: 'm1',
      leaderUrl: 'http://h:1',
      configOffset: 12,
      assigned: { connectors: [], tasks: [{ connector: 'a', task: 0 }] },
      revoked: { connectors: ['b'], tasks: [] },
      delayMs: 500,
    };
    assert.deepEqual(decodeAssignment(encodeAssignment(assignment)), assignment);
  });
});

describe('WorkerGroup', () => {
  test('the leader assigns the desired work, advertises its URL and config offset', async () => {
    const coordinator = new SoloCoordinator();
    const herder = new FakeHerder();
    herder.desiredWork = {
      connectors: ['c'],
      tasks: [
        { connector: 'c', task: 0 },
        { connector: 'c', task: 1 },
      ],
    };
    const g = group(coordinator, herder);
    g.start();
    try {
      await until(() => herder.assignments.length === 1, 'the first assignment');
      assert.deepEqual(herder.assigned, herder.desiredWork);
      assert.equal(g.leaderUrl, 'http://w1:8083');
      assert.equal(g.isLeader, true);
      const sent = decodeMetadata(coordinator.joins[0]!);
      assert.equal(sent.configOffset, 7);
      assert.equal(sent.url, 'http://w1:8083');
    } finally {
      await g.stop();
    }
    assert.ok(coordinator.left, 'stop() leaves the group');
  });

  test('the leader starts a new round when the work to assign changes', async () => {
    const coordinator = new SoloCoordinator();
    const herder = new FakeHerder();
    const g = group(coordinator, herder);
    g.start();
    try {
      await until(() => herder.assignments.length === 1, 'the first assignment');
      g.noteDesired({ connectors: [], tasks: [] });
      await sleep(150);
      assert.equal(coordinator.joins.length, 1, 'no rebalance when nothing changed');
      herder.desiredWork = { connectors: ['new'], tasks: [] };
      g.noteDesired(herder.desiredWork);
      await until(() => herder.assignments.length === 2, 'a second round');
      assert.deepEqual(herder.assigned.connectors, ['new']);
    } finally {
      await g.stop();
    }
  });

  test('a member that is told to rebalance, or is no longer known, rejoins (stopping its work first when lost)', async () => {
    const coordinator = new SoloCoordinator();
    const herder = new FakeHerder();
    herder.desiredWork = { connectors: ['c'], tasks: [] };
    const answers: HeartbeatOutcome[] = ['ok', 'rebalance', 'ok', 'lost'];
    coordinator.heartbeatAnswer = async () => answers.shift() ?? 'ok';
    const g = group(coordinator, herder);
    g.start();
    try {
      await until(() => coordinator.joins.length >= 3, 'two rejoins');
      assert.equal(herder.lost.length, 1);
      assert.match(herder.lost[0]!, /no longer knows/);
      // After the loss it announced it owned nothing, then got its work back.
      assert.deepEqual(decodeMetadata(coordinator.joins[2]!).owned.connectors, []);
      await until(() => herder.assigned.connectors.length === 1, 'the work back');
    } finally {
      await g.stop();
    }
  });

  test('when heartbeats fail for half the session timeout, the worker stops its work (before others may start it)', async () => {
    const coordinator = new SoloCoordinator();
    const herder = new FakeHerder();
    herder.desiredWork = { connectors: ['c'], tasks: [{ connector: 'c', task: 0 }] };
    const g = group(coordinator, herder, 800);
    g.start();
    try {
      await until(() => herder.assignments.length === 1, 'the first assignment');
      const failingSince = Date.now();
      coordinator.reachable = false;
      await until(() => herder.lost.length === 1, 'the watchdog', 3_000);
      const after = Date.now() - failingSince;
      assert.ok(
        after >= 350 && after < 800,
        `stopped after ${after} ms; must be within the 800 ms session timeout`,
      );
      assert.match(herder.lost[0]!, /no contact with the group coordinator/);
      assert.deepEqual(herder.assigned.tasks, []);
      // Contact is back: the worker rejoins, says it runs nothing, and gets its work back.
      const joinsBefore = coordinator.joins.length;
      coordinator.reachable = true;
      await until(() => herder.assigned.tasks.length === 1, 'the work back after contact returned');
      assert.ok(coordinator.joins.length > joinsBefore);
      assert.deepEqual(decodeMetadata(coordinator.joins[joinsBefore]!).owned.tasks, []);
    } finally {
      await g.stop();
    }
  });
});
