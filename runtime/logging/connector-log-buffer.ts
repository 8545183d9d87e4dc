import type { ConnectorLogLine, ConnectorLogSource } from '../cluster/connector-logs.js';

/** How many lines are kept per connector (its own and its tasks' together). */
const LINES_PER_CONNECTOR = 1_000;
/** How many connectors' lines are kept: those that logged last (deleted connectors' lines go first). */
const CONNECTORS_KEPT = 1_000;

/** `connector.<name>` → name; `task.<name>-<id>` → name; anything else is no connector's. */
export function connectorOfLogger(logger: string): string | null {
  if (logger.startsWith('connector.')) return logger.slice('connector.'.length);
  const task = /^task\.(.+)-\d+$/.exec(logger);
  return task === null ? null : task[1]!;
}

/**
 * A ring buffer of recent log lines per connector, filled by the log registry with every line its
 * connector and task loggers write, for `sluice logs` (GET /connectors/{name}/logs). Lines of a deleted
 * connector stay until the lines of more recently active connectors push them out (CONNECTORS_KEPT).
 */
export class ConnectorLogBuffer implements ConnectorLogSource {
  private readonly buffers = new Map<string, ConnectorLogLine[]>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private seq = 0;

  constructor(
    private readonly capacity = LINES_PER_CONNECTOR,
    private readonly now: () => number = Date.now,
    private readonly connectorsKept = CONNECTORS_KEPT,
  ) {}

  add(
    logger: string,
    level: ConnectorLogLine['level'],
    message: string,
    fields: Record<string, unknown> | undefined,
  ): void {
    const connector = connectorOfLogger(logger);
    if (connector === null) return;
    let buffer = this.buffers.get(connector);
    if (buffer === undefined) buffer = [];
    // The map's order is the order of last activity: the least recently active connector is dropped first.
    this.buffers.delete(connector);
    this.buffers.set(connector, buffer);
    if (this.buffers.size > this.connectorsKept) {
      const oldest = this.buffers.keys().next().value;
      if (oldest !== undefined) this.buffers.delete(oldest);
    }
    buffer.push({
      seq: ++this.seq,
      time: this.now(),
      level,
      logger,
      message,
      ...(fields === undefined || Object.keys(fields).length === 0 ? {} : { fields: plain(fields) }),
    });
    if (buffer.length > this.capacity) buffer.splice(0, buffer.length - this.capacity);
    const waiting = this.waiters.get(connector);
    if (waiting !== undefined) {
      this.waiters.delete(connector);
      for (const wake of waiting) wake();
    }
  }

  async lines(connector: string, since: number, limit: number, waitMs: number): Promise<ConnectorLogLine[]> {
    const found = this.after(connector, since, limit);
    if (found.length > 0 || waitMs <= 0) return found;
    await new Promise<void>((resolve) => {
      let set = this.waiters.get(connector);
      if (set === undefined) this.waiters.set(connector, (set = new Set()));
      const waiting = set;
      const timer = setTimeout(done, waitMs);
      function done(): void {
        clearTimeout(timer);
        waiting.delete(done);
        resolve();
      }
      waiting.add(done);
    });
    return this.after(connector, since, limit);
  }

  private after(connector: string, since: number, limit: number): ConnectorLogLine[] {
    const buffer = this.buffers.get(connector) ?? [];
    let first = buffer.length;
    while (first > 0 && buffer[first - 1]!.seq > since) first--;
    return buffer.slice(Math.max(first, buffer.length - limit));
  }
}

/** The fields as JSON would show them (an Error's message, no functions), so the reply can be serialized. */
function plain(fields: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(
      JSON.stringify(fields, (_key, value: unknown) =>
        value instanceof Error
          ? { message: value.message }
          : typeof value === 'bigint'
            ? String(value)
            : value,
      ),
    ) as Record<string, unknown>;
  } catch {
    return {};
  }
}
