// How the browser authenticates to a worker with `rest.auth` set: the console asks for the credentials the
// worker's 401 names (a user and password for `basic`, a token for `token`) and sends them as an
// `Authorization` header on every REST call. They are kept in sessionStorage: for this tab only, gone when it
// closes, never in a cookie (so no other site can make the browser send them). With `mtls` the browser
// presents its client certificate by itself and there is nothing to enter.

const STORAGE_KEY = 'sluice.console.authorization';

/** How the worker asked to be authenticated, from its last 401; undefined while nothing was refused. */
export type SignInScheme = 'basic' | 'token' | 'certificate';

let pending: SignInScheme | undefined;

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    // Storage disabled by the browser: credentials then last until the page is reloaded.
    return undefined;
  }
}

let inMemory: string | undefined;

export function authorizationHeader(): string | undefined {
  return storage()?.getItem(STORAGE_KEY) ?? inMemory;
}

export function hasCredentials(): boolean {
  return authorizationHeader() !== undefined;
}

/**
 * Learns from an answer to the current credentials: a 401's challenge (the sign-in form asks for what it
 * names), or null for any other answer (the credentials work: no sign-in is needed).
 */
export function noteAnswer(challenge: string | null): void {
  if (challenge === null) {
    pending = undefined;
    return;
  }
  const scheme = challenge.trim().split(/\s+/, 1)[0]?.toLowerCase();
  pending = scheme === 'basic' ? 'basic' : scheme === 'bearer' ? 'token' : 'certificate';
}

/** What the sign-in form must ask for, when the worker refused the console's last request for want of it. */
export function signInNeeded(): SignInScheme | undefined {
  return pending;
}

function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function store(header: string): void {
  pending = undefined;
  inMemory = header;
  storage()?.setItem(STORAGE_KEY, header);
}

export function signInBasic(user: string, password: string): void {
  store(`Basic ${base64Utf8(`${user}:${password}`)}`);
}

export function signInToken(token: string): void {
  store(`Bearer ${token.trim()}`);
}

export function signOut(): void {
  inMemory = undefined;
  storage()?.removeItem(STORAGE_KEY);
}
