/**
 * Sorts S3 failures by what the operator must fix, from the SDK error's name, HTTP status and the socket
 * error code, never from message text.
 */
export type S3Failure = 'unreachable' | 'no-bucket' | 'access-denied' | 'refused';

const ACCESS_DENIED_NAMES = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'AllAccessDisabled',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'TimeoutError',
]);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: unknown;
  readonly errors?: unknown;
}

export function classifyS3Failure(error: unknown): S3Failure {
  const e = (error ?? {}) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  const status = e.$metadata?.httpStatusCode;
  if (name === 'NoSuchBucket') return 'no-bucket';
  if (ACCESS_DENIED_NAMES.has(name) || status === 403) return 'access-denied';
  // HeadBucket has no body, so a missing bucket is only a bare 404.
  if (name === 'NotFound' && status === 404) return 'no-bucket';
  if (isNetworkError(e)) return 'unreachable';
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return 'unreachable';
  if (status === undefined && name !== '' && name !== 'Error') return 'unreachable';
  return 'refused';
}

function isNetworkError(e: SdkErrorShape): boolean {
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && NETWORK_CODES.has(e.name)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isNetworkError(inner as SdkErrorShape)))
    return true;
  return e.cause !== undefined && e.cause !== e && isNetworkError(e.cause as SdkErrorShape);
}

/** The SDK error's name and message, or the socket errors of an AggregateError. */
export function describeS3Failure(error: unknown): string {
  const e = error as SdkErrorShape & { message?: unknown };
  if (Array.isArray(e?.errors) && e.errors.length > 0)
    return (e.errors as Error[]).map((inner) => inner.message).join('; ');
  const name = typeof e?.name === 'string' && e.name !== 'Error' ? `${e.name}: ` : '';
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(error);
  const status = e?.$metadata?.httpStatusCode;
  return `${name}${message}${status === undefined ? '' : ` (HTTP ${status})`}`;
}
