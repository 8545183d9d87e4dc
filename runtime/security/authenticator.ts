import type { Principal } from './principal.js';

/** What a request presents to prove who it is. */
export interface PresentedCredentials {
  /** The Authorization header, if any. */
  readonly authorization: string | undefined;
  /** The verified client certificate's subject (attribute → value), on an https listener that asked for one. */
  readonly certificateSubject: Readonly<Record<string, string | string[]>> | null;
}

/**
 * One way of authenticating REST callers (`rest.auth`). It answers the principal's name, or null when
 * the credentials are missing or wrong; it never says which. Credentials that carry the role and tenant
 * themselves (a JWT's claims) answer the whole principal.
 */
export interface Authenticator {
  /** The `WWW-Authenticate` challenge a 401 carries, when the scheme has one. */
  readonly challenge: string | null;
  authenticate(credentials: PresentedCredentials): Promise<string | Principal | null>;
}
