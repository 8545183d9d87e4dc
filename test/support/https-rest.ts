// REST calls over https with a test CA and, optionally, a client certificate or credentials: fetch
// cannot be given a CA, so these go through the same node:https client workers use to forward.
import { readFileSync } from 'node:fs';
import { sendPeerRequest } from '../../runtime/cluster/peer-request.js';
import type { CertificateFiles } from './rest-certificates.js';
import type { RestReply } from './worker-process.js';

export interface HttpsClient {
  /** The CA file the server's certificate is checked against. */
  readonly ca: string;
  /** A client certificate to present. */
  readonly certificate?: CertificateFiles;
  /** An Authorization header value. */
  readonly authorization?: string;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export async function httpsRest<T = unknown>(
  client: HttpsClient,
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<RestReply<T>> {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const response = await sendPeerRequest(
    {
      url: `${baseUrl}${path}`,
      method,
      headers: {
        accept: 'application/json',
        ...(text === undefined ? {} : { 'content-type': 'application/json' }),
        ...(client.authorization === undefined ? {} : { authorization: client.authorization }),
        ...headers,
      },
      ...(text === undefined ? {} : { body: text }),
      timeoutMs: 30_000,
    },
    {
      ca: readFileSync(client.ca, 'utf8'),
      verifyServerName: true,
      ...(client.certificate === undefined
        ? {}
        : {
            cert: readFileSync(client.certificate.cert, 'utf8'),
            key: readFileSync(client.certificate.key, 'utf8'),
          }),
    },
  );
  let parsed: unknown = response.text;
  try {
    parsed = response.text === '' ? null : JSON.parse(response.text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, text: response.text };
}
