/**
 * Every error Sluice raises, in one place: a stable string code, the HTTP status the REST API answers
 * with, whether retrying can help, and a message template (`%s` placeholders filled in order).
 * Retryable vs fatal is decided here, never by matching message text.
 */
export interface ErrorDefinition {
  readonly status: number;
  readonly retryable: boolean;
  readonly message: string;
}

export const ErrorCodes = {
  // REST and herder
  CONNECTOR_NOT_FOUND: { status: 404, retryable: false, message: 'Connector %s not found' },
  TASK_NOT_FOUND: { status: 404, retryable: false, message: 'Task %s not found' },
  PLUGIN_NOT_FOUND: { status: 404, retryable: false, message: 'Failed to find any class that implements %s' },
  CONNECTOR_EXISTS: { status: 409, retryable: false, message: 'Connector %s already exists' },
  REBALANCE_IN_PROGRESS: { status: 409, retryable: true, message: 'Cannot complete request: %s' },
  INVALID_REQUEST: { status: 400, retryable: false, message: '%s' },
  MALFORMED_JSON: { status: 400, retryable: false, message: 'Request body is not valid JSON: %s' },
  INVALID_CONFIG: {
    status: 400,
    retryable: false,
    message: 'Connector configuration is invalid and contains the following %s error(s):\n%s',
  },
  CONNECTOR_NOT_STOPPED: {
    status: 400,
    retryable: false,
    message:
      "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/%s/stop' endpoint",
  },
  INVALID_OFFSETS: { status: 400, retryable: false, message: 'Invalid offsets: %s' },
  NOT_LEADER: {
    status: 409,
    retryable: true,
    message: 'Cannot complete request because no leader is known: %s',
  },
  REQUEST_TIMEOUT: { status: 500, retryable: true, message: 'Request timed out: %s' },
  INTERNAL: { status: 500, retryable: false, message: '%s' },
  LOGGER_NOT_FOUND: { status: 404, retryable: false, message: 'Logger %s not found.' },
  // Connect answers an unknown log level with 404, not 400; kept for tooling compatibility.
  INVALID_LOG_LEVEL: { status: 404, retryable: false, message: "invalid log level '%s'." },
  ROUTE_NOT_FOUND: { status: 404, retryable: false, message: 'HTTP 404 Not Found' },
  METHOD_NOT_ALLOWED: { status: 405, retryable: false, message: 'HTTP 405 Method Not Allowed' },
  UNAUTHENTICATED: {
    status: 401,
    retryable: false,
    message: 'Authentication required: send valid credentials for rest.auth (docs/security.md)',
  },
  FORBIDDEN: { status: 403, retryable: false, message: 'Principal %s may not do this: %s' },
  TENANT_LIMIT: { status: 403, retryable: false, message: 'Tenant %s may not do this: %s' },
  TOPIC_TRACKING_DISABLED: { status: 403, retryable: false, message: 'Topic tracking is disabled.' },
  TOPIC_TRACKING_RESET_DISABLED: {
    status: 403,
    retryable: false,
    message: 'Topic tracking reset is disabled.',
  },
  PATH_SEGMENT_TOO_LONG: {
    status: 414,
    retryable: false,
    message:
      'A path segment of this request is longer than %s characters (URL-encoded); no connector has such a name',
  },

  // configuration and CLI
  CONFIG_FILE_NOT_FOUND: { status: 400, retryable: false, message: 'Cannot read configuration file %s: %s' },
  CONFIG_FILE_MALFORMED: { status: 400, retryable: false, message: '%s:%s: %s' },
  MIRROR_CONFIG_INVALID: {
    status: 400,
    retryable: false,
    message: 'Invalid MirrorMaker configuration %s: %s',
  },
  CONFIG_MISSING: {
    status: 400,
    retryable: false,
    message: 'Missing required configuration "%s" which has no default value.',
  },
  CONFIG_INVALID_VALUE: {
    status: 400,
    retryable: false,
    message: 'Invalid value %s for configuration %s: %s',
  },
  TOO_MANY_TASKS: {
    status: 400,
    retryable: false,
    message:
      "The connector %s has generated %s tasks, which is greater than %s, the maximum number of tasks it is configured to create. This behaviour should be considered a bug and is no longer allowed. If necessary, it can be permitted by reconfiguring the connector with 'tasks.max.enforce' set to false (it may then have at most the worker's tasks.max.limit, %s).",
  },
  CONFIG_PROVIDER_FAILED: {
    status: 400,
    retryable: false,
    message: 'Config provider %s could not resolve %s: %s',
  },
  /** A configuration problem that is not about one key's value (Connect's ConfigException(message)). */
  CONFIG_INVALID: { status: 400, retryable: false, message: '%s' },
  /** A connector file given on the command line is readable but its connector cannot be created. */
  CONNECTOR_FILE_INVALID: { status: 400, retryable: false, message: 'Connector file %s: %s' },
  /** The operator CLI (`sluice connectors ...`) cannot reach the worker's REST API. */
  WORKER_UNREACHABLE: {
    status: 503,
    retryable: true,
    message: 'Cannot reach a Sluice worker at %s (%s); start one, or point --url or SLUICE_URL at it',
  },

  // runtime
  CONVERSION_FAILED: {
    status: 500,
    retryable: false,
    message: 'Converter %s failed on a record from topic %s: %s',
  },
  TRANSFORMATION_FAILED: { status: 500, retryable: false, message: 'Transformation %s failed: %s' },
  SCHEMA_MISMATCH: { status: 500, retryable: false, message: '%s' },
  /** A record's data does not fit what a transform or converter needs (Connect's DataException). */
  DATA_INVALID: { status: 500, retryable: false, message: '%s' },
  TOLERANCE_EXCEEDED: { status: 500, retryable: false, message: 'Tolerance exceeded in error handler: %s' },
  /** errors.tolerance=all covers converters, transforms and retriable errors only; other failures still fail the task. */
  ERROR_NOT_TOLERATED: { status: 500, retryable: false, message: 'Unhandled exception in error handler: %s' },
  DEAD_LETTER_QUEUE_WRITE_FAILED: {
    status: 500,
    retryable: false,
    message: 'Could not write a failed record to dead letter queue topic %s: %s',
  },
  KAFKA_UNAVAILABLE: { status: 500, retryable: true, message: 'Kafka at %s is not reachable: %s' },
  KAFKA_PRODUCE_FAILED: { status: 500, retryable: true, message: 'Producing to topic %s failed: %s' },
  /** Wrong SASL credentials or mechanism, or no OAUTHBEARER token: classified in runtime/kafka/kafka-errors.ts. */
  KAFKA_AUTHENTICATION_FAILED: {
    status: 500,
    retryable: false,
    message:
      'Authentication to Kafka at %s failed: %s (check sasl.mechanism and the credentials in sasl.jaas.config)',
  },
  /** The broker's certificate is not trusted (or does not name the host), or the broker refused the client's. */
  KAFKA_CERTIFICATE_INVALID: {
    status: 500,
    retryable: false,
    message:
      'TLS with Kafka at %s failed on a certificate: %s (check ssl.truststore.*, ssl.keystore.* and ssl.endpoint.identification.algorithm)',
  },
  KAFKA_FATAL: { status: 500, retryable: false, message: 'Kafka rejected the request: %s' },
  /**
   * Exactly-once sources: a newer producer with the task's transactional id took over (the task runs
   * elsewhere now, or its task count changed); this instance's open transaction was aborted by Kafka.
   */
  KAFKA_PRODUCER_FENCED: {
    status: 500,
    retryable: false,
    message:
      'The transactional producer %s was fenced: another instance of this task took over, so this one stops without writing (%s)',
  },
  /** A Kafka error that says "not now" (no leader yet, coordinator moving, timeout), classified in runtime/kafka/kafka-errors.ts. */
  KAFKA_RETRIABLE: { status: 500, retryable: true, message: '%s failed with a retriable Kafka error: %s' },
  WORKER_STARTUP_TIMEOUT: {
    status: 500,
    retryable: false,
    message:
      'The worker could not start within %s ms: %s kept failing with retriable errors; the last one: %s',
  },
  KAFKA_GROUP_JOIN_TIMEOUT: {
    status: 500,
    retryable: false,
    message:
      'Consumer group %s assigned this task no partitions in %s s (%s member(s) tried in turn, each given session.timeout.ms + rebalance timeout + %s ms): look for members that never rejoin (kafka-consumer-groups.sh --describe --members --group %s), then restart the task',
  },
  TASK_FAILED: { status: 500, retryable: false, message: 'Task %s failed: %s' },
  CONNECTOR_FAILED: { status: 500, retryable: false, message: 'Connector %s failed: %s' },
  OFFSET_STORE_FAILED: { status: 500, retryable: true, message: 'Offset store could not %s: %s' },

  // Postgres CDC source
  PG_CDC_WAL_LEVEL: {
    status: 500,
    retryable: false,
    message:
      'PostgreSQL wal_level is %s, but change data capture needs logical decoding: run ALTER SYSTEM SET wal_level = logical; and restart the PostgreSQL server',
  },
  PG_CDC_NO_REPLICATION_PERMISSION: {
    status: 500,
    retryable: false,
    message:
      'PostgreSQL user %s may not use logical replication: grant it with ALTER ROLE %s REPLICATION (and allow replication connections in pg_hba.conf)',
  },
  PG_CDC_SLOT_IN_USE: {
    status: 500,
    retryable: false,
    message:
      'Replication slot "%s" is in use by another client (pid %s): stop that client, or give this connector its own slot.name',
  },
  PG_CDC_PUBLICATION_MISSING: {
    status: 500,
    retryable: false,
    message:
      'Publication "%s" does not exist and publication.autocreate.mode is disabled: create it with CREATE PUBLICATION %s FOR TABLE ...',
  },
  PG_CDC_REPLICATION_FAILED: {
    status: 500,
    retryable: false,
    message: 'Logical replication from slot "%s" failed: %s',
  },
  PG_CDC_CONNECTION_LOST: {
    status: 500,
    retryable: false,
    message:
      'Lost the connection to PostgreSQL at %s:%s and did not get it back after %s reconnect attempt(s) (errors.max.retries=%s): %s',
  },
  PG_CDC_CONNECT_FAILED: {
    status: 500,
    retryable: false,
    message:
      'Could not connect to PostgreSQL at %s:%s to start the task: %s attempt(s) failed (errors.max.retries=%s, retriable.restart.connector.wait.ms=%s); last error: %s',
  },
  PG_CDC_DATABASE_NOT_FOUND: {
    status: 500,
    retryable: false,
    message:
      'Database "%s" does not exist on PostgreSQL at %s:%s: check database.dbname (it is case-sensitive), or create the database with CREATE DATABASE %s',
  },
  PG_CDC_LOGIN_REJECTED: {
    status: 500,
    retryable: false,
    message:
      'PostgreSQL at %s:%s did not let user "%s" connect to database "%s" (%s): check database.user and database.password, that pg_hba.conf allows this user from this host (also for replication connections), and that the user may CONNECT to the database',
  },

  CASSANDRA_UNREACHABLE: {
    status: 500,
    retryable: false,
    message:
      '%s did not answer: %s. Check contactPoints, port and loadBalancing.localDc, and that Cassandra is running',
  },
  CASSANDRA_AUTHENTICATION_FAILED: {
    status: 500,
    retryable: false,
    message: '%s refused the login: %s. Check auth.provider, auth.username and auth.password',
  },
  CASSANDRA_WRITE_FAILED: {
    status: 500,
    retryable: false,
    message: '%s refused a write to %s: %s',
  },

  S3_UNREACHABLE: {
    status: 500,
    retryable: false,
    message: '%s did not answer: %s. Check store.url and that the S3 server is running',
  },
  S3_BUCKET_NOT_FOUND: {
    status: 500,
    retryable: false,
    message: '%s: the bucket does not exist (%s). Check s3.bucket.name and s3.region, or create the bucket',
  },
  S3_ACCESS_DENIED: {
    status: 500,
    retryable: false,
    message:
      '%s refused the request (%s). Check aws.access.key.id and aws.secret.access.key, and that they may read and write the bucket',
  },
  S3_REQUEST_FAILED: { status: 500, retryable: false, message: '%s refused a request: %s' },
  S3_RECORD_NOT_WRITABLE: {
    status: 500,
    retryable: false,
    message:
      'Record %s cannot be written to S3: %s (set errors.tolerance=all with errors.deadletterqueue.topic.name to route such records to a dead letter queue)',
  },
  S3_OBJECT_UNREADABLE: { status: 500, retryable: false, message: 'Object %s cannot be read: %s' },

  // jobs (runtime/jobs)
  JOBS_DISABLED: {
    status: 503,
    retryable: false,
    message:
      'Jobs are disabled on this worker: set redis.url in the worker configuration (e.g. redis.url=redis://127.0.0.1:6379) and restart it',
  },
  JOB_NOT_FOUND: { status: 404, retryable: false, message: 'Job %s not found' },
  JOB_TYPE_NOT_FOUND: { status: 400, retryable: false, message: "Unknown job type '%s'; known types: %s" },
  /** The config does not fit the job type's schema, or names something that does not exist (a table, a connector). */
  JOB_CONFIG_INVALID: { status: 400, retryable: false, message: 'Invalid %s job config: %s' },
  /** The job, or what it works on, is in a state that forbids the request (retry of a running job, rewind of a running sink). */
  JOB_CONFLICT: { status: 409, retryable: false, message: '%s' },
  /** Raised inside a running unit once its job was cancelled; ends the unit without a retry. */
  JOB_CANCELLED: { status: 409, retryable: false, message: 'Job %s was cancelled' },

  // raised by connectors through runtime/api
  RETRIABLE: { status: 500, retryable: true, message: '%s' },
  CONNECT_ERROR: { status: 500, retryable: false, message: '%s' },
  METRIC_CONFLICT: {
    status: 500,
    retryable: false,
    message: 'Metric %s cannot be registered: %s',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ErrorCodes;
