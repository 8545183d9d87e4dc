import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SessionKey } from '../storage/cluster-config-store.js';

/**
 * A write a follower forwards to the leader carries the principal it was authenticated as, signed with
 * the cluster's session key (Connect's `internal.key.generator.*` key in the config topic): the leader
 * trusts the name because only a worker that can read the config topic can sign it. The signature
 * covers method, path, principal, time and body, so none of them can be changed in transit.
 */
export const FORWARDED_PRINCIPAL_HEADER = 'x-sluice-forwarded-principal';
export const FORWARDED_AT_HEADER = 'x-sluice-forwarded-at';
export const FORWARDED_SIGNATURE_HEADER = 'x-sluice-forwarded-signature';

/** A signed request older than this (or this far in the future, for clock skew) is refused. */
const MAX_AGE_MS = 5 * 60_000;

/** Connect names its algorithms as Java's Mac does; node's HMAC takes the digest name. */
function digestOf(algorithm: string): string | null {
  const match = /^Hmac(SHA1|SHA224|SHA256|SHA384|SHA512)$/i.exec(algorithm);
  return match === null ? null : match[1]!.toLowerCase();
}

function signature(
  key: SessionKey,
  method: string,
  path: string,
  principal: string,
  at: string,
  body: string,
): Buffer | null {
  const digest = digestOf(key.algorithm);
  if (digest === null) return null;
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac(digest, Buffer.from(key.key, 'base64'))
    .update([method.toUpperCase(), path, principal, at, bodyHash].join('\n'))
    .digest();
}

/** The headers that vouch for `principal` on a forwarded request; empty when there is no usable key. */
export function signForwardedRequest(
  key: SessionKey | undefined,
  request: { method: string; path: string; principal: string; body: string },
  now = Date.now(),
): Record<string, string> {
  if (key === undefined) return {};
  const at = String(now);
  const mac = signature(key, request.method, request.path, request.principal, at, request.body);
  if (mac === null) return {};
  return {
    [FORWARDED_PRINCIPAL_HEADER]: encodeURIComponent(request.principal),
    [FORWARDED_AT_HEADER]: at,
    [FORWARDED_SIGNATURE_HEADER]: mac.toString('base64'),
  };
}

function header(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | null {
  const value = headers[name];
  return typeof value === 'string' ? value : null;
}

/** Whether a request carries forwarding headers at all (then they must verify, or it is refused). */
export function isForwardedRequest(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): boolean {
  return header(headers, FORWARDED_SIGNATURE_HEADER) !== null;
}

/** The principal a forwarded request vouches for, or null when the signature does not verify. */
export function verifyForwardedRequest(
  key: SessionKey | undefined,
  request: {
    method: string;
    path: string;
    body: string;
    headers: Readonly<Record<string, string | string[] | undefined>>;
  },
  now = Date.now(),
): string | null {
  const encoded = header(request.headers, FORWARDED_PRINCIPAL_HEADER);
  const at = header(request.headers, FORWARDED_AT_HEADER);
  const given = header(request.headers, FORWARDED_SIGNATURE_HEADER);
  if (key === undefined || encoded === null || at === null || given === null) return null;
  if (!/^\d+$/.test(at) || Math.abs(now - Number(at)) > MAX_AGE_MS) return null;
  let principal: string;
  try {
    principal = decodeURIComponent(encoded);
  } catch {
    return null;
  }
  const expected = signature(key, request.method, request.path, principal, at, request.body);
  const actual = Buffer.from(given, 'base64');
  if (expected === null || actual.length !== expected.length) return null;
  return timingSafeEqual(actual, expected) ? principal : null;
}
