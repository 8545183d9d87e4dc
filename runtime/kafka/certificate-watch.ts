/**
 * kafkajs treats every socket error as a connection error worth retrying, so a certificate it can never
 * accept would be retried for about 20 s before a client gives up. Its connections are opened by this
 * socket factory (the same net/tls calls as kafkajs's own), which reports a TLS failure on a
 * certificate at once; `guard` ends a connect attempt with it instead of waiting out the retries.
 */
import { isIP, connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { ISocketFactory } from 'kafkajs';
import { securityFailureOf } from './kafka-errors.js';

/** kafkajs's own keep-alive delay. */
const KEEP_ALIVE_DELAY_MS = 60_000;

export class CertificateWatch {
  private readonly waiting = new Set<(error: Error) => void>();

  readonly socketFactory: ISocketFactory = ({ host, port, ssl, onConnect }): Socket => {
    const socket = ssl
      ? connectTls({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ...ssl }, onConnect)
      : connectTcp({ host, port }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    if (ssl) {
      socket.on('error', (error: Error) => {
        if (securityFailureOf(error) !== 'certificate') return;
        for (const fail of this.waiting) fail(error);
      });
    }
    return socket;
  };

  /** `connecting`, or the first certificate failure of this client's connections while it runs. */
  async guard<T>(connecting: Promise<T>): Promise<T> {
    let fail: ((error: Error) => void) | undefined;
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
      this.waiting.add(reject);
    });
    try {
      return await Promise.race([connecting, failed]);
    } finally {
      this.waiting.delete(fail!);
      // kafkajs keeps retrying in the background until it gives up; that rejection is not news.
      connecting.catch(() => undefined);
    }
  }
}
