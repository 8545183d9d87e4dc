// The test services, in the order `status` lists them. Addresses come from the same env vars
// the tests read (see endpoints.mjs).
import { cassandraService } from './cassandra.mjs';
import {
  CASSANDRA_CONTACT_POINTS,
  KAFKA_BOOTSTRAP,
  KAFKA_B_BOOTSTRAP,
  KAFKA_CA_PEM,
  KAFKA_CLIENT_CERT_PEM,
  KAFKA_CLIENT_KEY_PEM,
  KAFKA_SASL_BOOTSTRAP,
  KAFKA_SASL_PASSWORD,
  KAFKA_SASL_USER,
  KAFKA_SSL_BOOTSTRAP,
  S3_ENDPOINT,
} from './endpoints.mjs';
import { kafkaService } from './kafka.mjs';
import { postgresService } from './postgres.mjs';
import { redisService } from './redis.mjs';
import { s3Service } from './s3proxy.mjs';

export function allServices() {
  return [
    kafkaService({
      name: 'kafka-a',
      bootstrap: KAFKA_BOOTSTRAP,
      secured: {
        saslBootstrap: KAFKA_SASL_BOOTSTRAP,
        sslBootstrap: KAFKA_SSL_BOOTSTRAP,
        user: KAFKA_SASL_USER,
        password: KAFKA_SASL_PASSWORD,
        caPem: KAFKA_CA_PEM,
        clientCertPem: KAFKA_CLIENT_CERT_PEM,
        clientKeyPem: KAFKA_CLIENT_KEY_PEM,
      },
    }),
    kafkaService({ name: 'kafka-b', bootstrap: KAFKA_B_BOOTSTRAP }),
    cassandraService({ contactPoints: CASSANDRA_CONTACT_POINTS }),
    s3Service({ endpoint: S3_ENDPOINT }),
    postgresService(),
    redisService(),
  ];
}

/** The services named on the command line (all when none), or an error naming the unknown ones. */
export function selectServices(names) {
  const services = allServices();
  if (names.length === 0) return services;
  const unknown = names.filter((n) => !services.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown service ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${services.map((s) => s.name).join(', ')}`,
    );
  }
  return services.filter((s) => names.includes(s.name));
}
