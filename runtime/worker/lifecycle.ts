import type { ConnectorStateName } from '../cluster/rest-types.js';

/** Allowed transitions; anything else is a bug in the runtime and throws. */
const TRANSITIONS: Readonly<Record<ConnectorStateName, readonly ConnectorStateName[]>> = {
  UNASSIGNED: ['RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'RESTARTING', 'UNASSIGNED'],
  RUNNING: ['PAUSED', 'STOPPED', 'FAILED', 'RESTARTING', 'UNASSIGNED'],
  PAUSED: ['RUNNING', 'STOPPED', 'FAILED', 'RESTARTING', 'UNASSIGNED'],
  STOPPED: ['RUNNING', 'PAUSED', 'RESTARTING', 'UNASSIGNED', 'FAILED'],
  FAILED: ['RESTARTING', 'UNASSIGNED', 'RUNNING', 'STOPPED'],
  RESTARTING: ['RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'UNASSIGNED'],
};

export interface LifecycleState {
  readonly state: ConnectorStateName;
  readonly trace?: string;
}

export type LifecycleListener = (state: LifecycleState) => void;

/** The state of one connector or task as an explicit state machine; every change is reported to the listener. */
export class Lifecycle {
  private current: LifecycleState = { state: 'UNASSIGNED' };

  constructor(
    private readonly label: string,
    private readonly listener: LifecycleListener,
  ) {}

  get state(): ConnectorStateName {
    return this.current.state;
  }

  get snapshot(): LifecycleState {
    return this.current;
  }

  /**
   * Re-reports a RUNNING or PAUSED state with a note in its trace (what the task waits for), or without
   * one (undefined). A FAILED trace is never replaced.
   */
  annotate(note: string | undefined): void {
    const { state, trace } = this.current;
    if ((state !== 'RUNNING' && state !== 'PAUSED') || trace === note) return;
    this.current = note === undefined ? { state } : { state, trace: note };
    this.listener(this.current);
  }

  transition(next: ConnectorStateName, trace?: string): void {
    if (!TRANSITIONS[this.current.state].includes(next)) {
      throw new Error(`${this.label}: illegal state change ${this.current.state} -> ${next}`);
    }
    this.current = trace === undefined ? { state: next } : { state: next, trace };
    this.listener(this.current);
  }
}
