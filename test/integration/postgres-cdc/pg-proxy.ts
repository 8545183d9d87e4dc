// A TCP proxy on 127.0.0.1 in front of the real PostgreSQL server. Tests use it to open a port late (a server
// that is unreachable at first) and to decide exactly how much of the replication stream reaches the task
// before the connection is cut: a byte budget makes "the loss lands inside the transaction" a fact rather
// than a race against the machine's speed.
import net from 'node:net';
import { PG_URL } from '../../support/endpoints.js';

interface ProxiedConnection {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
  /** Whether the client's startup packet asked for a replication connection. */
  replication: boolean;
  /** Bytes still allowed from the server to the client; undefined means no limit. */
  budget: number | undefined;
  /** Nothing flows either way any more, and the connection stays open (packets dropped, no RST). */
  frozen: boolean;
}

export interface PgProxy {
  readonly port: number;
  /**
   * Lets at most `bytes` more bytes flow from the server to each replication connection open now, then
   * holds the rest back (the server's sends block once the buffers fill, as on a stalled network).
   */
  limitReplication(bytes: number): void;
  /** Stops every replication connection open now in both directions without closing it. */
  freezeReplication(): void;
  /** Cuts every replication connection on both sides, as a lost network would. */
  cutReplication(): void;
  close(): Promise<void>;
}

export async function startPgProxy(port: number): Promise<PgProxy> {
  const target = new URL(PG_URL);
  const connections = new Set<ProxiedConnection>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || '5432'), target.hostname);
    const connection: ProxiedConnection = {
      client,
      upstream,
      replication: false,
      budget: undefined,
      frozen: false,
    };
    connections.add(connection);
    const destroy = (): void => {
      client.destroy();
      upstream.destroy();
      connections.delete(connection);
    };
    client.on('error', destroy).on('close', destroy);
    upstream.on('error', destroy).on('close', destroy);
    let sawStartup = false;
    client.on('data', (chunk: Buffer) => {
      if (!sawStartup) {
        sawStartup = true;
        connection.replication = chunk.includes('replication\0');
      }
      if (connection.frozen) return;
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => {
      if (!connection.frozen) client.resume();
    });
    upstream.on('data', (chunk: Buffer) => forwardToClient(connection, chunk));
    client.on('drain', () => {
      if (!connection.frozen && (connection.budget === undefined || connection.budget > 0)) upstream.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const replicationConnections = (): ProxiedConnection[] => [...connections].filter((c) => c.replication);
  return {
    port,
    limitReplication(bytes) {
      for (const c of replicationConnections()) c.budget = bytes;
    },
    freezeReplication() {
      for (const c of replicationConnections()) {
        c.frozen = true;
        c.client.pause();
        c.upstream.pause();
      }
    },
    cutReplication() {
      for (const c of replicationConnections()) {
        c.client.destroy();
        c.upstream.destroy();
        connections.delete(c);
      }
    },
    async close() {
      for (const c of connections) {
        c.client.destroy();
        c.upstream.destroy();
      }
      connections.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forwardToClient(connection: ProxiedConnection, chunk: Buffer): void {
  const { client, upstream } = connection;
  if (connection.frozen) return;
  let allowed = chunk;
  if (connection.budget !== undefined) {
    allowed = chunk.subarray(0, connection.budget);
    connection.budget -= allowed.length;
  }
  const flowing = allowed.length === 0 || client.write(allowed);
  // Held bytes beyond the budget are dropped: the connection is only ever cut after a budget runs out.
  if (!flowing || connection.budget === 0) upstream.pause();
}
