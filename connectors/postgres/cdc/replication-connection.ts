import pg from 'pg';
import type { Duplex } from 'node:stream';
import type { CdcSettings } from './config.js';
import { socketClosedFlag } from './connection-loss.js';
import { formatLsn, parseLsn, type Lsn } from './lsn.js';
import { baseConfig } from './pg-connect.js';
import { decodeServerFrame, standbyStatusUpdate, type ServerFrame } from './replication-frames.js';

/** The parts of pg's internal Connection that drive a CopyBoth stream; not in @types/pg. */
interface CopyBothConnection {
  readonly stream: Duplex;
  on(event: 'copyData', listener: (message: { chunk: Buffer }) => void): void;
  removeAllListeners(event: 'copyData'): void;
  sendCopyFromChunk(chunk: Buffer): void;
}

export interface CreatedSlot {
  readonly consistentPoint: Lsn;
  readonly snapshotName: string | null;
}

/** A `replication=database` connection: slot commands and the pgoutput CopyBoth stream. */
export class ReplicationConnection {
  private readonly client: pg.Client;
  private streaming: Promise<unknown> | null = null;
  private closed = false;
  private readonly socketClosed: () => boolean;
  /** Why the session must end although the server did not end it (see abort). */
  private abortCause: { readonly error: unknown } | null = null;
  private endStream: ((error: unknown) => void) | null = null;

  constructor(settings: CdcSettings) {
    // pg passes `replication` through to the startup packet; @types/pg does not declare it.
    const config = {
      ...baseConfig(settings, `sluice-cdc-${settings.slotName}`),
      replication: 'database',
    } as pg.ClientConfig;
    this.client = new pg.Client(config);
    this.client.on('error', () => undefined); // surfaced through the streaming promise instead
    this.socketClosed = socketClosedFlag(this.client);
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  /** True once the socket closed (server gone, walsender terminated, network error, or close()). */
  get lost(): boolean {
    return this.socketClosed();
  }

  /** The server pid of this connection's walsender (0 before connect). */
  get serverPid(): number {
    return (this.client as unknown as { processID?: number }).processID ?? 0;
  }

  /**
   * Ends the session with `error` as the reason the streaming promise rejects with (e.g. the task's other
   * connection was lost). Also before start: start() then rejects at once.
   */
  abort(error: unknown): void {
    if (this.abortCause !== null) return;
    this.abortCause = { error };
    this.endStream?.(error);
  }

  async createSlot(slotName: string, exportSnapshot: boolean): Promise<CreatedSlot> {
    const mode = exportSnapshot ? 'EXPORT_SNAPSHOT' : 'NOEXPORT_SNAPSHOT';
    const result = await this.client.query<{ consistent_point: string; snapshot_name: string | null }>(
      `CREATE_REPLICATION_SLOT "${slotName}" LOGICAL pgoutput ${mode}`,
    );
    const row = result.rows[0];
    if (row === undefined) throw new Error(`CREATE_REPLICATION_SLOT ${slotName} returned nothing`);
    return { consistentPoint: parseLsn(row.consistent_point), snapshotName: row.snapshot_name };
  }

  /**
   * Starts streaming; `onFrame` gets every server frame in order. The returned promise settles when the
   * stream ends: it rejects with the server's error (e.g. slot in use) or a connection error.
   */
  start(
    slotName: string,
    publication: string,
    startLsn: Lsn,
    onFrame: (frame: ServerFrame) => void,
  ): Promise<unknown> {
    const connection = this.copyBoth();
    // pg's parser hands out views into its read buffer and reuses that buffer for later socket data;
    // frames are decoded later (after queueing), so each one gets its own copy of the bytes.
    connection.on('copyData', ({ chunk }) => onFrame(decodeServerFrame(Buffer.from(chunk))));
    const sql =
      `START_REPLICATION SLOT "${slotName}" LOGICAL ${formatLsn(startLsn)} ` +
      `(proto_version '1', publication_names '${publication.replaceAll("'", "''")}', messages 'true')`;
    const ended = new Promise<unknown>((resolve, reject) => {
      if (this.abortCause !== null) {
        reject(this.abortCause.error);
        return;
      }
      this.endStream = reject;
      this.client.query(sql).then(resolve, reject);
      this.client.once('end', () => reject(new Error('replication connection closed')));
    });
    this.streaming = ended;
    return ended;
  }

  sendStatus(received: Lsn, flushed: Lsn, replyRequested = false): void {
    if (this.closed || this.streaming === null || this.lost) return;
    this.copyBoth().sendCopyFromChunk(
      standbyStatusUpdate(received, flushed, flushed, Date.now(), replyRequested),
    );
  }

  /** Backpressure: stop reading from the socket (the server buffers, then blocks on its side). */
  pause(): void {
    this.copyBoth().stream.pause();
  }

  resume(): void {
    this.copyBoth().stream.resume();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const connection = this.copyBoth();
    connection.removeAllListeners('copyData');
    connection.stream.resume();
    await Promise.race([this.client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 2_000))]);
    connection.stream.destroy();
  }

  private copyBoth(): CopyBothConnection {
    return (this.client as unknown as { connection: CopyBothConnection }).connection;
  }
}
