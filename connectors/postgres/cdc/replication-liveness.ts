/**
 * Notices a replication connection that went silent without closing: a network that drops packets (a cut
 * cable, a firewall forgetting the flow, a frozen VM) delivers no RST, so the socket stays open and TCP
 * would take hours to give up. Like PostgreSQL's own wal_receiver_timeout, the receiver asks the server for
 * a reply once half the timeout passed without a message (the walsender answers a standby status update
 * that requests a reply with a keepalive) and gives the connection up once the whole timeout passed.
 *
 * Time in which the task itself stopped reading (backpressure) does not count: the server's messages wait
 * in the socket then.
 */
export type LivenessVerdict = 'alive' | 'ask' | 'lost';

export class ReplicationLiveness {
  private lastHeard: number;
  private asked = false;
  private suspended = false;

  constructor(
    readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastHeard = now();
  }

  /** A message arrived from the server. */
  heard(): void {
    this.lastHeard = this.now();
    this.asked = false;
  }

  /** The task stopped reading the socket; silence is its own doing until resumed(). */
  suspend(): void {
    this.suspended = true;
  }

  resumed(): void {
    this.suspended = false;
    this.heard();
  }

  /** How long the server has been silent, in ms (0 while suspended). */
  get silentMs(): number {
    return this.suspended ? 0 : this.now() - this.lastHeard;
  }

  /**
   * 'ask' once per silence when half the timeout passed (send a status update requesting a reply), 'lost'
   * once the timeout passed, otherwise 'alive'. A timeout of 0 disables the check.
   */
  check(): LivenessVerdict {
    if (this.timeoutMs <= 0) return 'alive';
    const silent = this.silentMs;
    if (silent >= this.timeoutMs) return 'lost';
    if (silent >= this.timeoutMs / 2 && !this.asked) {
      this.asked = true;
      return 'ask';
    }
    return 'alive';
  }

  /** How often check() should run to notice a loss within about a tenth of the timeout. */
  get checkIntervalMs(): number {
    return Math.max(50, Math.floor(this.timeoutMs / 10));
  }
}
