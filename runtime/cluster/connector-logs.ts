/** One log line of a connector or one of its tasks, as GET /connectors/{name}/logs returns it. */
export interface ConnectorLogLine {
  /** Increases with every line this process kept; pass the last one seen as `since` to get only newer lines. */
  readonly seq: number;
  /** epoch ms */
  readonly time: number;
  readonly level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** `connector.<name>` or `task.<name>-<id>` */
  readonly logger: string;
  readonly message: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** GET /connectors/{name}/logs: the recent lines this worker kept of the connector and its tasks. */
export interface ConnectorLogPage {
  readonly worker_id: string;
  readonly lines: readonly ConnectorLogLine[];
  /** The `since` of the next request (the last line's seq, or the request's `since` when no line came). */
  readonly next: number;
}

/** The recent lines of each connector's and task's loggers, kept in memory by this process. */
export interface ConnectorLogSource {
  /** Lines after `since`, at most `limit` (the newest); waits up to `waitMs` for one when there is none yet. */
  lines(connector: string, since: number, limit: number, waitMs: number): Promise<ConnectorLogLine[]>;
}
