// The console's only way to the worker: the public REST API, at the path the worker serves it from, with the
// credentials the user signed in with (credentials.ts).
import { authorizationHeader, noteAnswer } from './credentials.js';

/** A REST error answered with Connect's `{"error_code", "message"}` body. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The REST root: the console is served at `<root>/ui/`, so a proxy prefix in front of the worker still works. */
export function restRoot(): string {
  return location.pathname.replace(/\/ui(\/.*)?$/, '');
}

export async function restCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> =
    body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' };
  // The worker then names its scheme in X-Sluice-Authenticate, not WWW-Authenticate: a browser would answer
  // a Basic challenge with its own login dialog before the console could show its sign-in form.
  headers['x-requested-with'] = 'XMLHttpRequest';
  const authorization = authorizationHeader();
  if (authorization !== undefined) headers['authorization'] = authorization;
  const response = await fetch(`${restRoot()}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  // A 401 says how to sign in: the console then shows its sign-in form. An answer to a request sent with
  // credentials that were replaced meanwhile (a sign-in while it was under way) says nothing any more.
  if (authorization === authorizationHeader()) {
    noteAnswer(
      response.status === 401
        ? (response.headers.get('x-sluice-authenticate') ?? response.headers.get('www-authenticate') ?? '')
        : null,
    );
  }
  if (!response.ok) {
    let code: string | number | undefined;
    let message = text || response.statusText;
    try {
      const parsed = JSON.parse(text) as { error_code?: string | number; message?: string };
      code = parsed.error_code;
      message = parsed.message ?? message;
    } catch {
      // A body that is not JSON (a proxy's error page) is shown as it is.
    }
    throw new RestError(response.status, code, message);
  }
  if (text === '') return undefined as T;
  return (response.headers.get('content-type') ?? '').includes('json')
    ? (JSON.parse(text) as T)
    : (text as T);
}

export const restGet = <T>(path: string): Promise<T> => restCall<T>('GET', path);

export const connectorPath = (name: string): string => `/connectors/${encodeURIComponent(name)}`;
