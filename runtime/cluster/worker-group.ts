import type { Logger } from '../api/logger.js';
import { backoffDelay } from '../errors/retry-with-backoff.js';
import { isRetryable } from '../errors/sluice-error.js';
import type { GroupMembership } from '../kafka/cluster-types.js';
import { assign, emptyAssignorState, type Assignment, type AssignorState } from './incremental-assignor.js';
import {
  decodeAssignment,
  decodeMetadata,
  encodeAssignment,
  encodeMetadata,
  type WorkerAssignment,
} from './group-protocol.js';
import type { ConnectorTaskId } from './rest-types.js';

export interface WorkerGroupOptions {
  readonly membership: GroupMembership;
  readonly url: string;
  readonly workerId: string;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** scheduled.rebalance.max.delay.ms */
  readonly maxDelayMs: number;
  readonly logger: Logger;
}

export interface DesiredWork {
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorTaskId[];
}

/** What the group needs from the herder. */
export interface WorkerGroupCallbacks {
  /** What this worker runs right now (sent in its join metadata). */
  owned(): Assignment;
  configOffset(): number;
  /** Leader only: catch up with the config topic and say what must run in the cluster. */
  desired(): Promise<DesiredWork>;
  /** Must stop the revoked items before resolving; may start the new ones in the background. */
  onAssignment(generation: number, assignment: WorkerAssignment, isLeader: boolean): Promise<void>;
  /** The coordinator may already have given our work to others: stop everything now. */
  onMembershipLost(reason: string): Promise<void>;
}

/**
 * Fraction of the session timeout after which a worker that cannot reach the coordinator stops its
 * work. The coordinator expels it only after the full session timeout, and the leader reassigns only
 * after that (plus the scheduled delay), so the old copy is gone before a new copy starts.
 */
const SAFE_SESSION_FRACTION = 0.5;

export const desiredKey = (d: DesiredWork): string =>
  JSON.stringify([[...d.connectors].sort(), d.tasks.map((t) => `${t.connector}\u0000${t.task}`).sort()]);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Backoff after a failed join/sync round: exponential with jitter, from 100 ms up to 2 s. */
const ROUND_RETRY_INITIAL_MS = 100;
const ROUND_RETRY_MAX_MS = 2_000;

/**
 * This worker's membership in the cluster: the join/sync/heartbeat loop, the leader's assignment
 * (incremental cooperative, see incremental-assignor.ts), scheduled rebalances, and the watchdog that
 * stops local work when the membership may have been lost.
 */
export class WorkerGroup {
  private assignorState: AssignorState = emptyAssignorState();
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private rejoinReason: string | null = null;
  private scheduledRejoinAt: number | null = null;
  private lastContact = Date.now();
  private joinPending = false;
  private lostReported = false;
  private watchdog: NodeJS.Timeout | null = null;
  private lastDesired: string | null = null;
  private current: { generation: number; leaderUrl: string; isLeader: boolean } | null = null;

  constructor(
    private readonly options: WorkerGroupOptions,
    private readonly callbacks: WorkerGroupCallbacks,
  ) {}

  get generation(): number {
    return this.current?.generation ?? -1;
  }

  get isLeader(): boolean {
    return this.current?.isLeader ?? false;
  }

  /** The leader's REST URL, once any round completed; kept through later rebalances. */
  get leaderUrl(): string | null {
    return this.current?.leaderUrl ?? null;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
    const period = Math.max(100, Math.min(1_000, this.options.heartbeatIntervalMs / 2));
    this.watchdog = setInterval(() => this.checkContact(), period);
  }

  /** Ask for a new round (e.g. the leader saw connectors or task counts change). */
  requestRejoin(reason: string): void {
    this.rejoinReason ??= reason;
    this.wake?.();
  }

  /** Leader only: rejoin when the work to assign differs from what the last round assigned. */
  noteDesired(desired: DesiredWork): void {
    if (this.isLeader && this.lastDesired !== null && desiredKey(desired) !== this.lastDesired) {
      this.requestRejoin('connectors or tasks changed');
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.watchdog) clearInterval(this.watchdog);
    this.wake?.();
    await this.loop?.catch(() => undefined);
    await this.options.membership.leave().catch(() => undefined);
    await this.options.membership.close().catch(() => undefined);
  }

  private checkContact(): void {
    if (this.joinPending || this.lostReported) return;
    const silentFor = Date.now() - this.lastContact;
    if (silentFor <= this.options.sessionTimeoutMs * SAFE_SESSION_FRACTION) return;
    const owned = this.callbacks.owned();
    if (owned.connectors.length === 0 && owned.tasks.length === 0) return;
    this.lostReported = true;
    // Once contact is back, rejoin: the leader still counts our stopped work as ours until we say otherwise.
    void this.callbacks
      .onMembershipLost(`no contact with the group coordinator for ${silentFor} ms`)
      .finally(() => this.requestRejoin('work was stopped after losing contact with the coordinator'));
  }

  private contact(): void {
    this.lastContact = Date.now();
    this.lostReported = false;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const applying = (await this.round()).applying.catch((error: unknown) => {
          this.options.logger.warn('applying the assignment failed; rejoining', { error: String(error) });
          this.requestRejoin('the last assignment could not be applied');
        });
        failures = 0;
        // Heartbeats go on while the herder applies the assignment (stopping revoked tasks can take seconds).
        await this.heartbeatUntilRejoin();
        await applying;
      } catch (error) {
        if (!this.running) break;
        failures++;
        // Never give up: a worker that left the loop would serve REST but run nothing. A fatal error
        // (e.g. the group is not authorized) is logged as such, and retried all the same.
        const log = isRetryable(error) ? 'info' : 'error';
        this.options.logger[log]('group round did not complete; rejoining', { error: String(error) });
        await sleep(backoffDelay(failures, ROUND_RETRY_INITIAL_MS, ROUND_RETRY_MAX_MS, Math.random));
      }
    }
  }

  /** One join/sync round; resolves once the assignment is known, with the promise of applying it. */
  private async round(): Promise<{ applying: Promise<void> }> {
    const reason = this.rejoinReason;
    this.rejoinReason = null;
    if (reason !== null) this.options.logger.info(`rejoining the group: ${reason}`);
    const metadata = encodeMetadata({
      url: this.options.url,
      workerId: this.options.workerId,
      configOffset: this.callbacks.configOffset(),
      owned: this.callbacks.owned(),
    });
    this.joinPending = true;
    let joined;
    try {
      joined = await this.options.membership.join(metadata);
    } finally {
      this.joinPending = false;
    }
    this.contact();
    const isLeader = joined.leaderId === joined.memberId;
    const assignments = new Map<string, Buffer>();
    if (isLeader) {
      const desired = await this.callbacks.desired();
      const members = joined.members.map((m) => ({ memberId: m.memberId, ...decodeMetadata(m.metadata) }));
      const now = Date.now();
      const result = assign({
        members,
        connectors: desired.connectors,
        tasks: desired.tasks,
        now,
        maxDelayMs: this.options.maxDelayMs,
        state: this.assignorState,
      });
      this.assignorState = result.state;
      this.lastDesired = desiredKey(desired);
      this.scheduledRejoinAt = result.rebalanceDelayMs === null ? null : now + result.rebalanceDelayMs;
      for (const [memberId, a] of result.assignments) {
        assignments.set(
          memberId,
          encodeAssignment({
            leaderId: joined.memberId,
            leaderUrl: this.options.url,
            configOffset: this.callbacks.configOffset(),
            assigned: a.assigned,
            revoked: a.revoked,
            delayMs: result.rebalanceDelayMs,
          }),
        );
      }
      this.options.logger.info(`leader of generation ${joined.generationId}`, {
        members: members.map((m) => m.workerId),
        tasks: Object.fromEntries(
          members.map((m) => [m.workerId, result.assignments.get(m.memberId)?.assigned.tasks.length ?? 0]),
        ),
        delayMs: result.rebalanceDelayMs,
      });
    } else {
      this.scheduledRejoinAt = null;
      this.lastDesired = null;
    }
    const mine = decodeAssignment(await this.options.membership.sync(joined.generationId, assignments));
    this.contact();
    this.current = { generation: joined.generationId, leaderUrl: mine.leaderUrl, isLeader };
    const applying = this.callbacks.onAssignment(joined.generationId, mine, isLeader).then(() => {
      // Cooperative protocol: after stopping what was revoked, rejoin so the next round can hand it out.
      if (mine.revoked.connectors.length > 0 || mine.revoked.tasks.length > 0) {
        this.requestRejoin('revoked work was stopped');
      }
    });
    return { applying };
  }

  private async heartbeatUntilRejoin(): Promise<void> {
    while (this.running && this.rejoinReason === null) {
      if (this.scheduledRejoinAt !== null && Date.now() >= this.scheduledRejoinAt) {
        this.scheduledRejoinAt = null;
        this.rejoinReason = 'scheduled rebalance: the delay for departed workers has passed';
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.options.heartbeatIntervalMs);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = null;
      if (!this.running || this.rejoinReason !== null) return;
      try {
        const outcome = await this.options.membership.heartbeat(this.generation);
        this.contact();
        if (outcome === 'rebalance') {
          this.rejoinReason = 'the group is rebalancing';
        } else if (outcome === 'lost') {
          await this.callbacks.onMembershipLost('the coordinator no longer knows this member');
          this.rejoinReason = 'membership lost';
        }
      } catch (error) {
        // Coordinator unreachable: keep trying; the watchdog stops local work if this lasts too long.
        this.options.logger.warn('heartbeat failed', { error: String(error) });
      }
    }
  }
}
