import {
  ConfigValues,
  connectError,
  sinkRetryTimeoutMs,
  type ConfigDef,
  type ConfigIssue,
  type ConnectorConfig,
} from '../../runtime/api/index.js';

/** The DataStax Apache Kafka Connector's property names, for the settings this sink has. */
export const CassandraSinkKeys = {
  CONTACT_POINTS: 'contactPoints',
  PORT: 'port',
  LOCAL_DC: 'loadBalancing.localDc',
  AUTH_PROVIDER: 'auth.provider',
  AUTH_USERNAME: 'auth.username',
  AUTH_PASSWORD: 'auth.password',
  SSL_PROVIDER: 'ssl.provider',
  SSL_TRUSTSTORE_PATH: 'ssl.truststore.path',
  SSL_HOSTNAME_VALIDATION: 'ssl.hostnameValidation',
  MAX_CONCURRENT_REQUESTS: 'maxConcurrentRequests',
  MAX_RECORDS_IN_BATCH: 'maxNumberOfRecordsInBatch',
  QUERY_EXECUTION_TIMEOUT: 'queryExecutionTimeout',
  CONNECTION_POOL_LOCAL_SIZE: 'connectionPoolLocalSize',
  JMX: 'jmx',
} as const;

const group = 'Cassandra sink';

export const cassandraSinkConfigDef: ConfigDef = {
  [CassandraSinkKeys.CONTACT_POINTS]: {
    type: 'list',
    default: '',
    importance: 'high',
    group,
    documentation:
      'Cassandra hosts to connect to first (host or host:port, comma separated); empty means 127.0.0.1. The driver discovers the rest of the cluster.',
  },
  [CassandraSinkKeys.PORT]: {
    type: 'int',
    default: 9042,
    importance: 'high',
    group,
    documentation: 'The CQL native port of contact points given without a port.',
    validator: { min: 1, max: 65535 },
  },
  [CassandraSinkKeys.LOCAL_DC]: {
    type: 'string',
    default: null,
    importance: 'high',
    group,
    documentation:
      'The data center the sink writes to (e.g. datacenter1). Required when contactPoints is set, as in the DataStax connector.',
  },
  [CassandraSinkKeys.AUTH_PROVIDER]: {
    type: 'string',
    default: 'None',
    importance: 'high',
    group,
    documentation: "`None` or `PLAIN` (username and password, Cassandra's PasswordAuthenticator).",
    validator: { oneOf: ['None', 'PLAIN'] },
  },
  [CassandraSinkKeys.AUTH_USERNAME]: {
    type: 'string',
    default: null,
    importance: 'high',
    group,
    documentation: 'User name for auth.provider=PLAIN.',
  },
  [CassandraSinkKeys.AUTH_PASSWORD]: {
    type: 'password',
    default: null,
    importance: 'high',
    group,
    documentation: 'Password for auth.provider=PLAIN (use a config provider to keep it out of the config).',
  },
  [CassandraSinkKeys.SSL_PROVIDER]: {
    type: 'string',
    default: 'None',
    importance: 'medium',
    group,
    documentation:
      "`None`, or `JDK` / `OpenSSL` (both mean TLS with Node's TLS stack): connect over TLS, trusting the PEM CA file in ssl.truststore.path.",
    validator: { oneOf: ['None', 'JDK', 'OpenSSL'] },
  },
  [CassandraSinkKeys.SSL_TRUSTSTORE_PATH]: {
    type: 'string',
    default: null,
    importance: 'medium',
    group,
    documentation:
      'A PEM file of the CA certificates to trust. A JKS or PKCS12 store is refused: convert it with `keytool -exportcert -rfc` (or `openssl pkcs12 -nokeys`).',
  },
  [CassandraSinkKeys.SSL_HOSTNAME_VALIDATION]: {
    type: 'boolean',
    default: true,
    importance: 'medium',
    group,
    documentation: 'Check that the server certificate names the host connected to.',
  },
  [CassandraSinkKeys.MAX_CONCURRENT_REQUESTS]: {
    type: 'int',
    default: 500,
    importance: 'medium',
    group,
    documentation: 'Most write requests (single statements or unlogged batches) in flight per task.',
    validator: { min: 1 },
  },
  [CassandraSinkKeys.MAX_RECORDS_IN_BATCH]: {
    type: 'int',
    default: 32,
    importance: 'medium',
    group,
    documentation:
      'Most writes grouped into one unlogged batch. Only writes to the same partition key of the same table are batched.',
    validator: { min: 1 },
  },
  [CassandraSinkKeys.QUERY_EXECUTION_TIMEOUT]: {
    type: 'int',
    default: 30,
    importance: 'medium',
    group,
    documentation: 'Seconds a put may take before its unfinished writes count as failed (and are retried).',
    validator: { min: 1 },
  },
  [CassandraSinkKeys.CONNECTION_POOL_LOCAL_SIZE]: {
    type: 'int',
    default: 4,
    importance: 'low',
    group,
    documentation: 'Connections per host of the local data center.',
    validator: { min: 1 },
  },
  [CassandraSinkKeys.JMX]: {
    type: 'boolean',
    default: true,
    importance: 'low',
    group,
    documentation: 'Accepted for compatibility and ignored: Sluice exposes its metrics on /metrics.',
  },
};

export interface CassandraConnectionSettings {
  readonly contactPoints: readonly string[];
  readonly port: number;
  readonly localDc: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly tls: { readonly caFile: string | null; readonly hostnameValidation: boolean } | null;
  readonly poolSize: number;
  readonly queryTimeoutMs: number;
}

export interface CassandraSinkSettings {
  readonly connection: CassandraConnectionSettings;
  readonly maxConcurrentRequests: number;
  readonly maxRecordsInBatch: number;
  /** How long retriable failures are retried: -1 forever (Connect's default for sinks), 0 not at all. */
  readonly retryTimeoutMs: number;
}

export function connectionIssues(values: ConfigValues): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (
    values.list(CassandraSinkKeys.CONTACT_POINTS).length > 0 &&
    !values.optionalString(CassandraSinkKeys.LOCAL_DC)
  )
    issues.push({
      key: CassandraSinkKeys.LOCAL_DC,
      message: 'loadBalancing.localDc is required when contactPoints is set (for example datacenter1)',
    });
  if (
    values.string(CassandraSinkKeys.AUTH_PROVIDER) === 'PLAIN' &&
    !values.optionalString(CassandraSinkKeys.AUTH_USERNAME)
  )
    issues.push({
      key: CassandraSinkKeys.AUTH_USERNAME,
      message: 'auth.username is required when auth.provider=PLAIN',
    });
  const truststore = values.optionalString(CassandraSinkKeys.SSL_TRUSTSTORE_PATH);
  if (truststore !== null && /\.(jks|p12|pfx|pkcs12)$/i.test(truststore))
    issues.push({
      key: CassandraSinkKeys.SSL_TRUSTSTORE_PATH,
      message: `${truststore} looks like a JKS/PKCS12 store; Sluice reads PEM: convert it with keytool -exportcert -rfc -keystore ${truststore} -alias <alias> > ca.pem`,
    });
  return issues;
}

export function cassandraSinkSettings(config: ConnectorConfig): CassandraSinkSettings {
  const values = ConfigValues.parse(cassandraSinkConfigDef, config);
  const issues = [...values.issues, ...connectionIssues(values)];
  if (issues.length > 0) throw connectError(issues.map((i) => `${i.key}: ${i.message}`).join('\n'));
  const contactPoints = values.list(CassandraSinkKeys.CONTACT_POINTS);
  const port = values.number(CassandraSinkKeys.PORT);
  const tlsOn = values.string(CassandraSinkKeys.SSL_PROVIDER) !== 'None';
  return {
    connection: {
      contactPoints: (contactPoints.length > 0 ? contactPoints : ['127.0.0.1']).map((point) =>
        /:\d+$/.test(point) ? point : `${point}:${port}`,
      ),
      port,
      localDc: values.optionalString(CassandraSinkKeys.LOCAL_DC) ?? 'datacenter1',
      username: values.optionalString(CassandraSinkKeys.AUTH_USERNAME),
      password: values.optionalString(CassandraSinkKeys.AUTH_PASSWORD),
      tls: tlsOn
        ? {
            caFile: values.optionalString(CassandraSinkKeys.SSL_TRUSTSTORE_PATH),
            hostnameValidation: values.boolean(CassandraSinkKeys.SSL_HOSTNAME_VALIDATION),
          }
        : null,
      poolSize: values.number(CassandraSinkKeys.CONNECTION_POOL_LOCAL_SIZE),
      queryTimeoutMs: values.number(CassandraSinkKeys.QUERY_EXECUTION_TIMEOUT) * 1000,
    },
    maxConcurrentRequests: values.number(CassandraSinkKeys.MAX_CONCURRENT_REQUESTS),
    maxRecordsInBatch: values.number(CassandraSinkKeys.MAX_RECORDS_IN_BATCH),
    retryTimeoutMs: sinkRetryTimeoutMs(config),
  };
}
