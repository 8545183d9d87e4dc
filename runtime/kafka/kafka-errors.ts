/**
 * The one place that decides whether a Kafka client error is worth retrying, and turns it into a
 * SluiceError whose code carries that decision (KAFKA_RETRIABLE or KAFKA_FATAL). Callers above
 * runtime/kafka retry by the code's `retryable` flag and never look at kafkajs errors or messages.
 *
 * kafkajs marks each error with `retriable`, but from a worker's point of view that flag is wrong in
 * two ways: errors thrown after kafkajs's own retries ran out (KafkaJSNumberOfRetriesExceeded, or a
 * KafkaJSNonRetriableError wrapping the original) say "not retriable" although the cause was transient,
 * and a few classes are non-retriable in kafkajs but transient in a cluster (waiting for new topics'
 * leaders timed out, no group coordinator yet). Those are classified by their cause or their class.
 */
import { SluiceError } from '../errors/sluice-error.js';

/** kafkajs error classes (by `name`) that describe a passing state of the cluster, whatever their `retriable` says. */
const TRANSIENT_CLIENT_ERRORS: ReadonlySet<string> = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
]);

/** kafkajs errors that only wrap another one: the wrapped error says what happened. */
const WRAPPERS: ReadonlySet<string> = new Set(['KafkaJSNumberOfRetriesExceeded', 'KafkaJSNonRetriableError']);

/**
 * Broker error types that mean "not yet" right after a topic was created or a broker moved, although
 * kafkajs's table does not flag every one of them (e.g. the coordinator of a brand-new group).
 */
const TRANSIENT_PROTOCOL_ERRORS: ReadonlySet<string> = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'REPLICA_NOT_AVAILABLE',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'NOT_CONTROLLER',
  'NOT_COORDINATOR',
  'NOT_COORDINATOR_FOR_GROUP',
  'COORDINATOR_NOT_AVAILABLE',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'GROUP_LOAD_IN_PROGRESS',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'KAFKA_STORAGE_ERROR',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'OFFSET_NOT_AVAILABLE',
  'PREFERRED_LEADER_NOT_AVAILABLE',
  'THROTTLING_QUOTA_EXCEEDED',
  // Group membership: the member has to (re)join, which the next round does.
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'MEMBER_ID_REQUIRED',
]);

/** Broker error types that say the client's SASL authentication was refused. */
const AUTHENTICATION_PROTOCOL_ERRORS: ReadonlySet<string> = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
]);

/** Node's (OpenSSL's) codes for a certificate the client does not accept. */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/** TLS alerts by which a broker refuses the client's certificate (or its absence), e.g. ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED. */
const CERTIFICATE_ALERT = /^ERR_SSL_.*(CERTIFICATE|UNKNOWN_CA|BAD_CERT)/;

interface ClientErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

const shapeOf = (error: unknown): ClientErrorShape =>
  error !== null && typeof error === 'object' ? (error as ClientErrorShape) : {};

/**
 * Whether `error` (or what it wraps) says the cluster refused who the client is: its SASL credentials
 * (`authentication`) or a certificate, the broker's or the client's (`certificate`). Neither heals by
 * retrying.
 */
export function securityFailureOf(error: unknown, depth = 0): 'authentication' | 'certificate' | null {
  if (error instanceof SluiceError) {
    if (error.code === 'KAFKA_AUTHENTICATION_FAILED') return 'authentication';
    if (error.code === 'KAFKA_CERTIFICATE_INVALID') return 'certificate';
  }
  if (depth > 8) return null;
  const shape = shapeOf(error);
  const name = typeof shape.name === 'string' ? shape.name : '';
  const type = typeof shape.type === 'string' ? shape.type : '';
  const code = typeof shape.code === 'string' ? shape.code : '';
  if (name === 'KafkaJSSASLAuthenticationError' || AUTHENTICATION_PROTOCOL_ERRORS.has(type))
    return 'authentication';
  if (CERTIFICATE_CODES.has(code) || CERTIFICATE_ALERT.test(code)) return 'certificate';
  const parts = [...(Array.isArray(shape.errors) ? (shape.errors as unknown[]) : []), shape.cause];
  for (const part of parts) {
    if (part === undefined || part === error) continue;
    const found = securityFailureOf(part, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The registry error for a client that could not connect to `bootstrapServers`: refused credentials
 * and certificates are named as such (and are fatal); anything else is KAFKA_UNAVAILABLE (retryable).
 */
export function connectError(bootstrapServers: string, error: unknown): SluiceError {
  if (error instanceof SluiceError && error.code !== 'KAFKA_RETRIABLE') return error;
  const message = error instanceof Error ? error.message : String(error);
  switch (securityFailureOf(error)) {
    case 'authentication':
      return new SluiceError('KAFKA_AUTHENTICATION_FAILED', [bootstrapServers, message], { cause: error });
    case 'certificate':
      return new SluiceError('KAFKA_CERTIFICATE_INVALID', [bootstrapServers, message], { cause: error });
    default:
      return new SluiceError('KAFKA_UNAVAILABLE', [bootstrapServers, message], { cause: error });
  }
}

/** True when retrying the Kafka operation that threw `error` may succeed. Errors that are not Kafka's are not. */
export function isRetriableKafkaError(error: unknown, depth = 0): boolean {
  if (error instanceof SluiceError) return error.retryable;
  if (depth > 8) return false;
  if (depth === 0 && securityFailureOf(error) !== null) return false;
  const shape = shapeOf(error);
  const name = typeof shape.name === 'string' ? shape.name : '';
  const type = typeof shape.type === 'string' ? shape.type : '';
  // KafkaJSAggregateError (createTopics and friends): retriable when every part is.
  if (Array.isArray(shape.errors) && shape.errors.length > 0)
    return shape.errors.every((e) => isRetriableKafkaError(e, depth + 1));
  if (WRAPPERS.has(name) && shape.cause !== undefined && shape.cause !== error)
    return isRetriableKafkaError(shape.cause, depth + 1);
  if (type !== '') return TRANSIENT_PROTOCOL_ERRORS.has(type) || shape.retriable === true;
  if (TRANSIENT_CLIENT_ERRORS.has(name)) return true;
  return name.startsWith('KafkaJS') && shape.retriable === true;
}

/** What to show of a client error: its broker error type when it has one, then its message (and its parts'). */
function describe(error: unknown, depth = 0): string {
  const shape = shapeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (Array.isArray(shape.errors) && shape.errors.length > 0 && depth < 2)
    return `${message} (${shape.errors.map((e) => describe(e, depth + 1)).join('; ')})`;
  const type = typeof shape.type === 'string' ? shape.type : undefined;
  const cause = shapeOf(shape.cause);
  const causeType = typeof cause.type === 'string' ? cause.type : undefined;
  const label = type ?? causeType;
  return label === undefined ? message : `${label}: ${message}`;
}

/**
 * The registry error for a Kafka client error raised while doing `operation` (e.g. "listing the end
 * offsets of topic x"): KAFKA_RETRIABLE when a retry may help, KAFKA_FATAL otherwise, the client error
 * as its cause. A SluiceError passes through unchanged.
 */
export function kafkaError(operation: string, error: unknown): SluiceError {
  if (error instanceof SluiceError) return error;
  const security = securityFailureOf(error);
  if (security !== null) {
    const detail = `${operation}: ${describe(error)}`;
    return security === 'authentication'
      ? new SluiceError('KAFKA_AUTHENTICATION_FAILED', ['the cluster', detail], { cause: error })
      : new SluiceError('KAFKA_CERTIFICATE_INVALID', ['the cluster', detail], { cause: error });
  }
  return isRetriableKafkaError(error)
    ? new SluiceError('KAFKA_RETRIABLE', [operation, describe(error)], { cause: error })
    : new SluiceError('KAFKA_FATAL', [`${operation}: ${describe(error)}`], { cause: error });
}

/** Runs one Kafka client call; what it throws comes out as kafkaError(operation, ...). */
export async function kafkaCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw kafkaError(operation, error);
  }
}
