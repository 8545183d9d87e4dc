// Certificates for cluster A's secured listeners, made once by a self-made CA with openssl.
// They live in one directory per machine (KAFKA_TLS_DIR, see endpoints.mjs) rather than per checkout,
// because the brokers are shared: every checkout's tests must trust the CA the running broker uses.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { KAFKA_TLS_DIR } from './endpoints.mjs';
import { runCommand } from './processes.mjs';

const DAYS = '3650';

async function openssl(args, what) {
  const result = await runCommand('openssl', args);
  if (result.missing) throw new Error('openssl is needed to make the test certificates; install it');
  if (result.status !== 0) throw new Error(`openssl failed while ${what}:\n${result.output.slice(-1500)}`);
}

/** A key and a certificate signed by the CA in `dir`; the SAN lets a client verify 127.0.0.1/localhost. */
async function signedPair(dir, name, subject, extensions) {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  await openssl(
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key],
    `making ${name}'s key`,
  );
  await openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr], `making ${name}'s request`);
  writeFileSync(ext, extensions);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(dir, 'ca.pem'),
      '-CAkey',
      join(dir, 'ca.key'),
      '-CAcreateserial',
      '-days',
      DAYS,
      '-sha256',
      '-extfile',
      ext,
      '-out',
      join(dir, `${name}.pem`),
    ],
    `signing ${name}'s certificate`,
  );
  rmSync(csr, { force: true });
  rmSync(ext, { force: true });
}

/** Paths of the broker's PEM key store (key + chain) and of the CA every party trusts. */
export function brokerTlsFiles() {
  return { keystore: join(KAFKA_TLS_DIR, 'broker-keystore.pem'), truststore: join(KAFKA_TLS_DIR, 'ca.pem') };
}

/**
 * Makes the CA, the broker's and the client's certificates unless they exist. Built in a scratch
 * directory and renamed into place, so a crash never leaves half a set behind.
 */
export async function ensureKafkaTls() {
  const files = ['ca.pem', 'client.pem', 'client.key', 'broker-keystore.pem'].map((f) =>
    join(KAFKA_TLS_DIR, f),
  );
  if (files.every((f) => existsSync(f))) return false;
  const scratch = `${KAFKA_TLS_DIR}.making-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  await openssl(
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(scratch, 'ca.key')],
    'making the CA key',
  );
  await openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      join(scratch, 'ca.key'),
      '-subj',
      '/CN=Sluice test CA',
      '-days',
      DAYS,
      '-sha256',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      join(scratch, 'ca.pem'),
    ],
    'making the CA certificate',
  );
  await signedPair(
    scratch,
    'broker',
    '/CN=localhost',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  await signedPair(scratch, 'client', '/CN=sluice-client', 'extendedKeyUsage=clientAuth\n');
  // Kafka's PEM key store: the private key (PKCS#8) followed by the certificate chain.
  writeFileSync(
    join(scratch, 'broker-keystore.pem'),
    readFileSync(join(scratch, 'broker.key'), 'utf8') +
      readFileSync(join(scratch, 'broker.pem'), 'utf8') +
      readFileSync(join(scratch, 'ca.pem'), 'utf8'),
  );
  rmSync(KAFKA_TLS_DIR, { recursive: true, force: true });
  renameSync(scratch, KAFKA_TLS_DIR);
  return true;
}
