import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { SluiceError } from '../errors/sluice-error.js';
import type { Authenticator, PresentedCredentials } from './authenticator.js';
import { ROLES, type Principal, type Role } from './principal.js';
import type { ReloadingFile } from './reloading-file.js';

/** Which claims name the caller, its tenant and its role (`rest.auth.jwt.*.claim`). */
export interface JwtClaimNames {
  readonly principal: string;
  readonly tenant: string;
  readonly role: string;
}

export interface JwtOptions {
  /** The verification key: a PEM public key or certificate, or an HMAC secret; re-read when it changes. */
  readonly key: ReloadingFile<KeyObject>;
  readonly algorithms: readonly string[];
  readonly issuer: string | null;
  readonly audience: string | null;
  readonly claims: JwtClaimNames;
  /** Seconds of clock difference allowed on exp and nbf. */
  readonly clockToleranceS: number;
}

/** Asymmetric algorithms a PEM public key may sign with; `none` and HMAC are never accepted for it. */
export const PUBLIC_KEY_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];
export const SECRET_ALGORITHMS = ['HS256', 'HS384', 'HS512'];

/** A PEM public key (SPKI) or X.509 certificate, whose public key verifies. */
export function parsePublicKey(text: string, path: string): KeyObject {
  try {
    return createPublicKey(text);
  } catch (error) {
    throw new SluiceError('CONFIG_FILE_MALFORMED', [
      path,
      '1',
      `not a PEM public key or certificate: ${(error as Error).message}`,
    ]);
  }
}

/** An HMAC secret: the file's bytes, trailing newline left out; at least 32 bytes (HS256's size). */
export function parseSecret(text: string, path: string): KeyObject {
  const secret = Buffer.from(text.replace(/\r?\n$/, ''), 'utf8');
  if (secret.length < 32)
    throw new SluiceError('CONFIG_FILE_MALFORMED', [path, '1', 'a JWT secret must be at least 32 bytes']);
  return createSecretKey(secret);
}

function claimString(payload: Record<string, unknown>, claim: string): string | null {
  const value = payload[claim];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * JWT bearer tokens (`rest.auth=jwt`), verified with jose against the configured key: signature, the
 * allowed algorithms, expiry and not-before, and the issuer and audience when configured. The principal
 * is the principal claim (`sub`); when the token also carries a role claim, its role and tenant claims
 * decide (the issuer is trusted for them), else the tenants file does, as for other schemes.
 */
export class JwtAuthenticator implements Authenticator {
  readonly challenge = 'Bearer realm="sluice"';

  constructor(private readonly options: JwtOptions) {}

  async authenticate(credentials: PresentedCredentials): Promise<string | Principal | null> {
    const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(
      credentials.authorization ?? '',
    );
    if (match === null) return null;
    const { options } = this;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1]!, options.key.current, {
        algorithms: [...options.algorithms],
        clockTolerance: options.clockToleranceS,
        ...(options.issuer === null ? {} : { issuer: options.issuer }),
        ...(options.audience === null ? {} : { audience: options.audience }),
      }));
    } catch {
      return null;
    }
    const name = claimString(payload, options.claims.principal);
    if (name === null) return null;
    const role = claimString(payload, options.claims.role);
    if (role === null) return name;
    if (!ROLES.includes(role as Role)) return null;
    return { name, role: role as Role, tenant: claimString(payload, options.claims.tenant), claimed: true };
  }
}
