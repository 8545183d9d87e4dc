import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkServerIdentity } from 'node:tls';
import type { PeerClientTls } from '../security/rest-tls.js';

export interface PeerResponse {
  readonly status: number;
  readonly text: string;
}

export interface PeerRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

/**
 * One HTTP(S) request to another worker's REST API. node:https rather than fetch, because fetch cannot
 * be given the cluster's own CA or this worker's client certificate.
 */
export function sendPeerRequest(req: PeerRequest, tls: PeerClientTls | null): Promise<PeerResponse> {
  const url = new URL(req.url);
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  const tlsOptions =
    https && tls !== null
      ? {
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
          ...(tls.cert === undefined ? {} : { cert: tls.cert, key: tls.key }),
          ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
          // Without host-name verification the chain is still checked against the trusted CAs.
          ...(tls.verifyServerName ? {} : { checkServerIdentity: () => undefined }),
        }
      : { checkServerIdentity };
  return new Promise((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: req.method,
        headers: {
          ...req.headers,
          'content-length': String(req.body === undefined ? 0 : Buffer.byteLength(req.body)),
        },
        // A fresh connection each time: a pooled one the peer already closed would fail a write half-sent.
        agent: false,
        timeout: req.timeoutMs,
        ...tlsOptions,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}
