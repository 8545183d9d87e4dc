/**
 * Incremental cooperative assignment of connectors and tasks to the workers of a group, as a pure
 * function (Connect's IncrementalCooperativeAssignor, simplified). Rules:
 * - a worker keeps what it runs unless it holds more than its even share; only the surplus is revoked;
 * - revoked items are NOT given to anyone in the same round: the worker stops them and rejoins, and the
 *   next round assigns them, so no item ever runs on two workers at once;
 * - items of a worker that left wait up to `maxDelayMs` for it to come back (a restart), then go to the
 *   remaining workers; a worker coming back with the same id gets them back at once.
 * Connectors and tasks are balanced separately, each evenly: counts differ by at most one.
 */
import type { ConnectorTaskId } from './rest-types.js';
import { taskKey } from './connector-task-key.js';

export interface Assignment {
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorTaskId[];
}

export interface AssignorMember {
  readonly memberId: string;
  /** Stable across restarts of the same worker (its REST address): lets a returning worker reclaim its items. */
  readonly workerId: string;
  /** What the member runs now (from its join metadata). */
  readonly owned: Assignment;
}

/** Items of one kind that a departed worker held, waiting for it until `deadline`. */
export interface LostItems {
  readonly workerId: string;
  readonly items: readonly string[];
  readonly deadline: number;
}

interface KindState {
  /** What each worker was left with after the previous round. */
  readonly previous: Readonly<Record<string, readonly string[]>>;
  readonly lost: readonly LostItems[];
}

/** What the leader remembers between rounds. A new leader starts from `emptyAssignorState()`. */
export interface AssignorState {
  readonly connectors: KindState;
  readonly tasks: KindState;
}

export interface AssignorInput {
  readonly members: readonly AssignorMember[];
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorTaskId[];
  readonly now: number;
  readonly maxDelayMs: number;
  readonly state: AssignorState;
}

export interface MemberAssignment {
  /** Everything the member should run after this round (what it keeps plus what is new to it). */
  readonly assigned: Assignment;
  /** What it must stop now (then rejoin). */
  readonly revoked: Assignment;
}

export interface AssignorResult {
  readonly assignments: ReadonlyMap<string, MemberAssignment>;
  readonly state: AssignorState;
  /** When set, the leader must start a new round after this many ms (a lost worker's items become due). */
  readonly rebalanceDelayMs: number | null;
}

export function emptyAssignorState(): AssignorState {
  return { connectors: { previous: {}, lost: [] }, tasks: { previous: {}, lost: [] } };
}

export function taskFromKey(key: string): ConnectorTaskId {
  const [connector, task] = JSON.parse(key) as [string, number];
  return { connector, task };
}

interface KindResult {
  readonly assigned: Map<string, string[]>;
  readonly revoked: Map<string, string[]>;
  readonly state: KindState;
  readonly nextDeadline: number | null;
}

function compareItems(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One kind of item (connectors or tasks); members are sorted by memberId. */
function assignKind(
  members: readonly { memberId: string; workerId: string; owned: readonly string[] }[],
  desiredList: readonly string[],
  state: KindState,
  now: number,
  maxDelayMs: number,
): KindResult {
  const desired = new Set(desiredList);
  const kept = new Map<string, Set<string>>();
  const revoked = new Map<string, string[]>();
  const ownedBy = new Map<string, string>();
  for (const m of members) {
    const keep = new Set<string>();
    const drop: string[] = [];
    for (const item of m.owned) {
      // Deleted items are revoked; an item reported by two members stays with the first only.
      if (!desired.has(item) || ownedBy.has(item)) drop.push(item);
      else {
        keep.add(item);
        ownedBy.set(item, m.memberId);
      }
    }
    kept.set(m.memberId, keep);
    revoked.set(m.memberId, drop);
  }

  // Workers that left since the previous round: their items wait for them (or for the deadline).
  const present = new Map(members.map((m) => [m.workerId, m.memberId]));
  const lost: LostItems[] = [...state.lost];
  for (const [workerId, items] of Object.entries(state.previous)) {
    if (present.has(workerId) || lost.some((l) => l.workerId === workerId)) continue;
    lost.push({ workerId, items, deadline: now + maxDelayMs });
  }
  const held = new Set<string>();
  const stillLost: LostItems[] = [];
  for (const entry of lost) {
    const items = entry.items.filter((i) => desired.has(i) && !ownedBy.has(i));
    if (items.length === 0) continue;
    const returning = present.get(entry.workerId);
    if (returning !== undefined) {
      for (const i of items) {
        kept.get(returning)!.add(i);
        ownedBy.set(i, returning);
      }
    } else if (now < entry.deadline) {
      for (const i of items) held.add(i);
      stillLost.push({ ...entry, items });
    }
    // else: the deadline passed; the items join the unassigned pool below.
  }

  // Even share among present members; those holding the most keep the extra ones (least movement).
  const total = desired.size - held.size;
  const n = members.length;
  const base = n === 0 ? 0 : Math.floor(total / n);
  const extra = n === 0 ? 0 : total % n;
  const byLoad = [...members].sort(
    (a, b) => kept.get(b.memberId)!.size - kept.get(a.memberId)!.size || compareItems(a.memberId, b.memberId),
  );
  const limit = new Map(byLoad.map((m, i) => [m.memberId, base + (i < extra ? 1 : 0)]));
  for (const m of members) {
    const mine = kept.get(m.memberId)!;
    const surplus = mine.size - limit.get(m.memberId)!;
    if (surplus <= 0) continue;
    const victims = [...mine].sort(compareItems).slice(-surplus);
    for (const v of victims) {
      mine.delete(v);
      revoked.get(m.memberId)!.push(v);
    }
  }

  // Unowned items (new, released after the delay, or of a new leader's unknown past) go to the least loaded.
  // Revoked surplus is still owned by its member this round, so it is not in the pool.
  const assigned = new Map([...kept].map(([id, set]) => [id, [...set]]));
  const pool = [...desired].filter((i) => !ownedBy.has(i) && !held.has(i)).sort(compareItems);
  for (const item of pool) {
    if (n === 0) break;
    let target = members[0]!.memberId;
    for (const m of members)
      if (assigned.get(m.memberId)!.length < assigned.get(target)!.length) target = m.memberId;
    assigned.get(target)!.push(item);
  }

  const previous: Record<string, string[]> = {};
  for (const m of members) previous[m.workerId] = [...assigned.get(m.memberId)!].sort(compareItems);
  for (const list of assigned.values()) list.sort(compareItems);
  const deadlines = stillLost.map((l) => l.deadline);
  return {
    assigned,
    revoked,
    state: { previous, lost: stillLost },
    nextDeadline: deadlines.length === 0 ? null : Math.min(...deadlines),
  };
}

export function assign(input: AssignorInput): AssignorResult {
  const members = [...input.members].sort((a, b) => compareItems(a.memberId, b.memberId));
  const connectors = assignKind(
    members.map((m) => ({ memberId: m.memberId, workerId: m.workerId, owned: m.owned.connectors })),
    input.connectors,
    input.state.connectors,
    input.now,
    input.maxDelayMs,
  );
  const tasks = assignKind(
    members.map((m) => ({ memberId: m.memberId, workerId: m.workerId, owned: m.owned.tasks.map(taskKey) })),
    input.tasks.map(taskKey),
    input.state.tasks,
    input.now,
    input.maxDelayMs,
  );
  const assignments = new Map<string, MemberAssignment>();
  for (const m of members) {
    assignments.set(m.memberId, {
      assigned: {
        connectors: connectors.assigned.get(m.memberId)!,
        tasks: tasks.assigned.get(m.memberId)!.map(taskFromKey),
      },
      revoked: {
        connectors: connectors.revoked.get(m.memberId)!,
        tasks: tasks.revoked.get(m.memberId)!.map(taskFromKey),
      },
    });
  }
  const deadlines = [connectors.nextDeadline, tasks.nextDeadline].filter((d): d is number => d !== null);
  return {
    assignments,
    state: { connectors: connectors.state, tasks: tasks.state },
    rebalanceDelayMs: deadlines.length === 0 ? null : Math.max(0, Math.min(...deadlines) - input.now),
  };
}
