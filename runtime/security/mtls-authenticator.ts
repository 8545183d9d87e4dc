import type { Authenticator, PresentedCredentials } from './authenticator.js';

/** Which part of the client certificate's subject names the principal (`rest.auth.mtls.principal`). */
export type CertificatePrincipal = 'cn' | 'dn';

/** The subject as `CN=...,O=...`, attributes in the order the certificate lists them. */
function distinguishedName(subject: Readonly<Record<string, string | string[]>>): string {
  return Object.entries(subject)
    .flatMap(([attribute, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${attribute}=${v}`))
    .join(',');
}

/**
 * mTLS (`rest.auth=mtls`): the TLS handshake already verified the certificate against the listener's
 * truststore; this maps its subject to a principal name.
 */
export class MtlsAuthenticator implements Authenticator {
  readonly challenge = null;

  constructor(private readonly principal: CertificatePrincipal) {}

  async authenticate(credentials: PresentedCredentials): Promise<string | null> {
    const subject = credentials.certificateSubject;
    if (subject === null) return null;
    if (this.principal === 'dn') return distinguishedName(subject) || null;
    const cn = subject['CN'];
    const name = Array.isArray(cn) ? cn[0] : cn;
    return name === undefined || name === '' ? null : name;
  }
}
