import { SluiceError } from '../errors/sluice-error.js';
import type { PeerClientTls } from '../security/rest-tls.js';
import { sendPeerRequest } from './peer-request.js';

/** An error answer from the leader, re-raised on the worker that forwarded the request with the same status. */
export class ForwardedRequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ForwardedRequestError';
  }
}

/** How a forwarded request proves itself to the leader: TLS for https peers, headers that sign it. */
export interface ForwardingOptions {
  readonly tls: PeerClientTls | null;
  /** Extra headers for one request (e.g. a signature over method, path and body); none by default. */
  readonly sign?: (method: string, path: string, body: string) => Readonly<Record<string, string>>;
}

export interface ForwardedReply {
  readonly status: number;
  readonly body: unknown;
}

const REQUEST_TIMEOUT_MS = 60_000;
/** While a new leader is being chosen, keep trying for this long before answering 409. */
const LEADER_WAIT_MS = 15_000;

/**
 * Sends a REST write to the leader's own REST API (the leader's URL comes from the group assignment),
 * as Connect's followers do. Retries while the leader is unknown or unreachable, then answers 409.
 */
export class LeaderClient {
  constructor(
    private readonly leaderUrl: () => string | null,
    private readonly forwarding: ForwardingOptions = { tls: null },
  ) {}

  async send(method: string, path: string, body?: unknown): Promise<ForwardedReply> {
    const deadline = Date.now() + LEADER_WAIT_MS;
    let lastError = 'no leader is known yet';
    for (;;) {
      const leader = this.leaderUrl();
      if (leader !== null) {
        try {
          return await this.once(leader, method, path, body);
        } catch (error) {
          if (error instanceof ForwardedRequestError) throw error;
          lastError = `leader ${leader} did not answer: ${(error as Error).message}`;
        }
      }
      if (Date.now() > deadline) throw new SluiceError('NOT_LEADER', [lastError]);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  private async once(leader: string, method: string, path: string, body: unknown): Promise<ForwardedReply> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...this.forwarding.sign?.(method, path, text),
    };
    const response = await sendPeerRequest(
      {
        url: `${leader.replace(/\/$/, '')}${path}`,
        method,
        headers,
        ...(body === undefined ? {} : { body: text }),
        timeoutMs: REQUEST_TIMEOUT_MS,
      },
      this.forwarding.tls,
    );
    let parsed: unknown = null;
    try {
      parsed = response.text === '' ? null : JSON.parse(response.text);
    } catch {
      parsed = response.text;
    }
    if (response.status >= 400) {
      const message = (parsed as { message?: unknown } | null)?.message;
      throw new ForwardedRequestError(response.status, typeof message === 'string' ? message : response.text);
    }
    return { status: response.status, body: parsed };
  }
}
