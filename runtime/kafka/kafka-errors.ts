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

interface ClientErrorShape {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

const shapeOf = (error: unknown): ClientErrorShape =>
  error !== null && typeof error === 'object' ? (error as ClientErrorShape) : {};

/** True when retrying the Kafka operation that threw `error` may succeed. Errors that are not Kafka's are not. */
export function isRetriableKafkaError(error: unknown, depth = 0): boolean {
  if (error instanceof SluiceError) return error.retryable;
  if (depth > 8) return false;
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
