// Certificates for the REST https listeners in tests, made per test file by a self-made CA with openssl
// (the approach of test/services/lib/kafka-tls.mjs): EC keys, so making a set takes milliseconds.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await run('openssl', [...args]);
  } catch (error) {
    throw new Error(
      `openssl ${args.slice(0, 2).join(' ')} failed (openssl is needed for the REST TLS tests): ${String(error)}`,
    );
  }
}

export interface CertificateFiles {
  /** Private key and certificate in one PEM file (`ssl.keystore.location` with `ssl.keystore.type=PEM`). */
  readonly keystore: string;
  readonly key: string;
  readonly cert: string;
}

/** A self-made CA in `dir` that signs server and client certificates. */
export class TestCa {
  private constructor(
    readonly dir: string,
    readonly name: string,
  ) {}

  get certFile(): string {
    return join(this.dir, `${this.name}-ca.pem`);
  }

  private get keyFile(): string {
    return join(this.dir, `${this.name}-ca.key`);
  }

  static async create(dir: string, name = 'test'): Promise<TestCa> {
    const ca = new TestCa(dir, name);
    await openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      ca.keyFile,
      '-out',
      ca.certFile,
      '-days',
      '2',
      '-subj',
      `/CN=Sluice test CA ${name}`,
    ]);
    return ca;
  }

  /** A certificate for `subject` (e.g. `/CN=alice/O=team-a`), valid for 127.0.0.1 and localhost as a server too. */
  async issue(fileName: string, subject: string): Promise<CertificateFiles> {
    const key = join(this.dir, `${fileName}.key`);
    const csr = join(this.dir, `${fileName}.csr`);
    const cert = join(this.dir, `${fileName}.pem`);
    const ext = join(this.dir, `${fileName}.ext`);
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', key]);
    await openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    await writeFile(
      ext,
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n',
    );
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      this.certFile,
      '-CAkey',
      this.keyFile,
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      ext,
      '-out',
      cert,
    ]);
    const keystore = join(this.dir, `${fileName}-keystore.pem`);
    await writeFile(keystore, (await readFile(key, 'utf8')) + (await readFile(cert, 'utf8')));
    return { keystore, key, cert };
  }
}
