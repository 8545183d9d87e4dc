/**
 * OAUTHBEARER tokens from an OAuth 2 token endpoint by the client-credentials grant, as Kafka's
 * OAuthBearerLoginCallbackHandler gets them: HTTP Basic client id and secret (URL-encoded),
 * `grant_type=client_credentials` and the optional scope. A token is reused until shortly before it
 * expires, so a client opening many broker connections asks once.
 */
import { SluiceError } from '../errors/sluice-error.js';

export interface OAuthClientCredentials {
  readonly tokenEndpointUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string | null;
}

/** Renew when less than this share of the token's lifetime is left (Kafka's sasl.login.refresh.window.factor). */
const REFRESH_WINDOW_FACTOR = 0.8;
const REQUEST_TIMEOUT_MS = 10_000;

export class OAuthTokenSource {
  private cached: { readonly token: string; readonly renewAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(private readonly credentials: OAuthClientCredentials) {}

  /** A valid access token, fetched when none is held or the held one is about to expire. */
  token(): Promise<string> {
    if (this.cached !== null && Date.now() < this.cached.renewAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const { tokenEndpointUrl, clientId, clientSecret, scope } = this.credentials;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
      'base64',
    );
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope !== null) body.set('scope', scope);
    const fail = (problem: string, cause?: unknown): SluiceError =>
      new SluiceError(
        'KAFKA_AUTHENTICATION_FAILED',
        [`(OAUTHBEARER token endpoint ${tokenEndpointUrl})`, `the token endpoint ${problem}`],
        cause === undefined ? {} : { cause },
      );
    let response: Response;
    try {
      response = await fetch(tokenEndpointUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw fail(`could not be reached: ${(error as Error).message}`, error);
    }
    if (!response.ok) throw fail(`answered HTTP ${response.status}`);
    const answer = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
    };
    if (typeof answer.access_token !== 'string' || answer.access_token === '')
      throw fail('answered without an access_token');
    const lifetimeMs = typeof answer.expires_in === 'number' ? answer.expires_in * 1000 : 3_600_000;
    this.cached = { token: answer.access_token, renewAt: Date.now() + lifetimeMs * REFRESH_WINDOW_FACTOR };
    return answer.access_token;
  }
}
