import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Herder } from '../runtime/cluster/herder.js';
import { SluiceError } from '../runtime/errors/sluice-error.js';
import { parseListeners, type RestListener } from './listeners.js';
import { createRestServer, type RestServerOptions } from './rest-server.js';

export interface StartRestServerOptions extends RestServerOptions {
  /** Connect's `listeners` property, e.g. `http://127.0.0.1:8083`; port 0 picks a free port. */
  readonly listeners: string;
}

export interface RunningRestServer {
  /** URL of the first listener, with the port actually bound. */
  readonly url: string;
  /** URLs of every listener, in the order configured. */
  readonly urls: readonly string[];
  /** The listeners as configured (host empty for every interface), in the same order. */
  readonly listeners: readonly RestListener[];
  close(): Promise<void>;
}

function urlOf(listener: RestListener, address: AddressInfo): string {
  // A wildcard bind is reachable through the loopback interface, which makes the URL usable by a local client.
  const host =
    listener.host === '' || listener.host === '0.0.0.0' || listener.host === '::'
      ? 'localhost'
      : listener.host;
  const printableHost = host.includes(':') ? `[${host}]` : host;
  return `${listener.protocol}://${printableHost}:${address.port}`;
}

async function listen(app: FastifyInstance, listener: RestListener): Promise<string> {
  await app.listen({ host: listener.host === '' ? '0.0.0.0' : listener.host, port: listener.port });
  return urlOf(listener, app.server.address() as AddressInfo);
}

/** The options of a plain http listener: the same, minus TLS. */
function withoutTls(options: RestServerOptions): RestServerOptions {
  const plain: { -readonly [K in keyof RestServerOptions]: RestServerOptions[K] } = { ...options };
  delete plain.tls;
  return plain;
}

/** Starts one REST server per configured listener (each its own fastify instance over the same herder). */
export async function startRestServer(
  herder: Herder,
  options: StartRestServerOptions,
): Promise<RunningRestServer> {
  const listeners = parseListeners(options.listeners);
  const https = listeners.find((listener) => listener.protocol === 'https');
  if (https !== undefined && options.tls === undefined) {
    throw new SluiceError('CONFIG_INVALID_VALUE', [
      `https://${https.host}:${https.port}`,
      'listeners',
      'an https listener needs listeners.https.ssl.keystore.* (PEM key and certificate)',
    ]);
  }
  const apps: FastifyInstance[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(apps.map((app) => app.close()));
  };
  const urls: string[] = [];
  try {
    for (const listener of listeners) {
      const app = createRestServer(herder, listener.protocol === 'https' ? options : withoutTls(options));
      apps.push(app);
      urls.push(await listen(app, listener));
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { url: urls[0] ?? '', urls, listeners, close: closeAll };
}
