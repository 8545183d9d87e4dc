// Which Kafka client errors a worker retries, decided in one place (runtime/kafka/kafka-errors.ts) from the
// errors' classes and broker error types, never from their messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import kafkajs from 'kafkajs';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import {
  connectError,
  isRetriableKafkaError,
  kafkaCall,
  kafkaError,
  securityFailureOf,
} from '../../../runtime/kafka/kafka-errors.js';

/** kafkajs's error classes, constructed as kafkajs does (its typings omit most constructor arguments). */
type ErrorClass = new (...args: unknown[]) => Error;
const errorClass = (name: keyof typeof kafkajs): ErrorClass => kafkajs[name] as unknown as ErrorClass;
const KafkaJSProtocolError = errorClass('KafkaJSProtocolError');
const KafkaJSConnectionError = errorClass('KafkaJSConnectionError');
const KafkaJSNumberOfRetriesExceeded = errorClass('KafkaJSNumberOfRetriesExceeded');
const KafkaJSNonRetriableError = errorClass('KafkaJSNonRetriableError');
const KafkaJSTimeout = errorClass('KafkaJSTimeout');
const KafkaJSGroupCoordinatorNotFound = errorClass('KafkaJSGroupCoordinatorNotFound');
const KafkaJSAggregateError = errorClass('KafkaJSAggregateError');
const KafkaJSSASLAuthenticationError = errorClass('KafkaJSSASLAuthenticationError');

/** A broker error as kafkajs raises it (type, code and retriable come from its protocol error table). */
const protocolError = (type: string, code: number, retriable: boolean, message = type): Error =>
  new KafkaJSProtocolError({ message, type, code, retriable });

const notLeader = (): Error =>
  protocolError(
    'NOT_LEADER_FOR_PARTITION',
    6,
    true,
    'This server is not the leader for that topic-partition',
  );

describe('isRetriableKafkaError', () => {
  test('broker errors that mean "not yet" are retriable', () => {
    for (const [type, code] of [
      ['NOT_LEADER_FOR_PARTITION', 6],
      ['NOT_LEADER_OR_FOLLOWER', 6],
      ['UNKNOWN_TOPIC_OR_PARTITION', 3],
      ['LEADER_NOT_AVAILABLE', 5],
      ['COORDINATOR_NOT_AVAILABLE', 15],
      ['COORDINATOR_LOAD_IN_PROGRESS', 14],
      ['REQUEST_TIMED_OUT', 7],
      ['NOT_CONTROLLER', 41],
      ['REBALANCE_IN_PROGRESS', 27],
      ['UNKNOWN_MEMBER_ID', 25],
    ] as const)
      // Even when a table says otherwise: the type decides.
      assert.equal(isRetriableKafkaError(protocolError(type, code, false)), true, type);
  });

  test('broker errors that will not change by waiting are fatal', () => {
    for (const [type, code] of [
      ['INVALID_REPLICATION_FACTOR', 38],
      ['TOPIC_AUTHORIZATION_FAILED', 29],
      ['GROUP_AUTHORIZATION_FAILED', 30],
      ['INVALID_TOPIC_EXCEPTION', 17],
    ] as const)
      assert.equal(isRetriableKafkaError(protocolError(type, code, false)), false, type);
  });

  test('connection errors, timeouts and a missing coordinator are retriable', () => {
    assert.equal(isRetriableKafkaError(new KafkaJSConnectionError('Connection error: ECONNREFUSED')), true);
    assert.equal(
      isRetriableKafkaError(new KafkaJSTimeout('Timed out while waiting for topic leaders')),
      true,
    );
    assert.equal(isRetriableKafkaError(new KafkaJSGroupCoordinatorNotFound('no coordinator')), true);
  });

  test('kafkajs giving up after its own retries is classified by the cause', () => {
    const cause = notLeader();
    assert.equal(
      isRetriableKafkaError(new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 8, retryTime: 5000 })),
      true,
    );
    const fatal = protocolError('INVALID_REPLICATION_FACTOR', 38, false);
    assert.equal(isRetriableKafkaError(new KafkaJSNonRetriableError(fatal, { cause: fatal })), false);
  });

  test('an aggregate error is retriable only when every part is', () => {
    const leaderless = protocolError('LEADER_NOT_AVAILABLE', 5, true);
    const badFactor = protocolError('INVALID_REPLICATION_FACTOR', 38, false);
    assert.equal(
      isRetriableKafkaError(new KafkaJSAggregateError('Topic creation errors', [leaderless])),
      true,
    );
    assert.equal(
      isRetriableKafkaError(new KafkaJSAggregateError('Topic creation errors', [leaderless, badFactor])),
      false,
    );
  });

  test('authentication failures and errors that are not Kafka’s are not retried, whatever they say', () => {
    assert.equal(isRetriableKafkaError(new KafkaJSSASLAuthenticationError('bad password')), false);
    assert.equal(isRetriableKafkaError(new Error('NOT_LEADER_FOR_PARTITION: retriable, try again')), false);
    assert.equal(isRetriableKafkaError(new TypeError('x is undefined')), false);
  });
});

describe('kafkaError / kafkaCall', () => {
  test('a retriable client error becomes KAFKA_RETRIABLE naming the operation and the broker error type', async () => {
    const cause = notLeader();
    await assert.rejects(
      kafkaCall('listing the end offsets of topic t', async () => {
        throw cause;
      }),
      (error: unknown) => {
        assert.ok(error instanceof SluiceError);
        assert.equal(error.code, 'KAFKA_RETRIABLE');
        assert.equal(error.retryable, true);
        assert.match(error.message, /listing the end offsets of topic t/);
        assert.match(error.message, /NOT_LEADER_FOR_PARTITION: This server is not the leader/);
        assert.equal(error.cause, cause);
        return true;
      },
    );
  });

  test('a fatal client error becomes KAFKA_FATAL with the parts of an aggregate in the message', () => {
    const error = kafkaError(
      'creating topic(s) t',
      new KafkaJSAggregateError('Topic creation errors', [
        protocolError(
          'INVALID_REPLICATION_FACTOR',
          38,
          false,
          'Replication factor: 3 larger than available brokers: 1.',
        ),
      ]),
    );
    assert.equal(error.code, 'KAFKA_FATAL');
    assert.equal(error.retryable, false);
    assert.match(
      error.message,
      /creating topic\(s\) t: Topic creation errors \(INVALID_REPLICATION_FACTOR: Replication factor: 3 larger/,
    );
  });

  test('a SluiceError passes through unchanged', () => {
    const original = new SluiceError('KAFKA_UNAVAILABLE', ['k:9092', 'refused']);
    assert.equal(kafkaError('anything', original), original);
  });
});

describe('security failures', () => {
  const certificateError = (code: string): Error =>
    new KafkaJSConnectionError(`Connection error: ${code}`, { broker: 'k:9093', code });

  test('a refused SASL login, even after kafkajs gave up retrying, is KAFKA_AUTHENTICATION_FAILED and fatal', () => {
    const refused = new KafkaJSSASLAuthenticationError('SASL SCRAM SHA512 authentication failed');
    for (const error of [refused, new KafkaJSNonRetriableError(refused, { cause: refused })]) {
      const wrapped = connectError('k:9093', error);
      assert.equal(wrapped.code, 'KAFKA_AUTHENTICATION_FAILED');
      assert.equal(wrapped.retryable, false);
      assert.match(wrapped.message, /k:9093/);
    }
    assert.equal(securityFailureOf(protocolError('SASL_AUTHENTICATION_FAILED', 58, false)), 'authentication');
  });

  test('an untrusted broker certificate is KAFKA_CERTIFICATE_INVALID although kafkajs calls connection errors retriable', () => {
    const untrusted = certificateError('SELF_SIGNED_CERT_IN_CHAIN');
    const exhausted = new KafkaJSNumberOfRetriesExceeded(untrusted, { retryCount: 8, retryTime: 5000 });
    assert.equal(isRetriableKafkaError(untrusted), false);
    assert.equal(connectError('k:9094', exhausted).code, 'KAFKA_CERTIFICATE_INVALID');
    assert.equal(kafkaError('listing topics', exhausted).code, 'KAFKA_CERTIFICATE_INVALID');
    assert.equal(
      securityFailureOf(certificateError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')),
      'certificate',
    );
    assert.equal(securityFailureOf(certificateError('ERR_TLS_CERT_ALTNAME_INVALID')), 'certificate');
  });

  test('a broker that is not there stays KAFKA_UNAVAILABLE (retryable)', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', {
      broker: 'k:9092',
      code: 'ECONNREFUSED',
    });
    const wrapped = connectError('k:9092', refused);
    assert.equal(wrapped.code, 'KAFKA_UNAVAILABLE');
    assert.equal(wrapped.retryable, true);
  });
});
