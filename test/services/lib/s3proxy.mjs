// S3Proxy with a filesystem backend: an S3 API (SigV4, path-style) over a local folder.
import process from 'node:process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, urlHostPort } from './endpoints.mjs';
import { serviceStateDir } from './paths.mjs';
import { markerOption } from './processes.mjs';
import { jarNamed, javaCommand, renderTemplate } from './programs.mjs';

// This script is not the place to nag about the Node version; tests still see the warning.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A real request: a signed ListBuckets. */
async function listBuckets(endpoint) {
  const client = new S3Client({
    endpoint,
    region: S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY },
    maxAttempts: 1,
  });
  try {
    const result = await client.send(new ListBucketsCommand({}));
    return `S3 API, ${result.Buckets?.length ?? 0} bucket(s)`;
  } catch (error) {
    throw new Error(`${error.name}: ${error.message || error.code || 'no message'}`);
  } finally {
    client.destroy();
  }
}

/** @param {{ endpoint: string }} options */
export function s3Service({ endpoint }) {
  const name = 's3';
  const { host, port } = urlHostPort(endpoint, 80);
  const dir = serviceStateDir(name);
  const dataDir = join(dir, 'data');
  const confPath = join(dir, 's3proxy.conf');
  return {
    name,
    address: endpoint,
    host,
    ports: [{ port, what: 'HTTP port' }],
    jarModule: 's3proxy',
    timeoutMs: 60_000,
    stopGraceMs: 10_000,
    probe: () => listBuckets(endpoint),
    async prepare() {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(
        confPath,
        renderTemplate('s3proxy/s3proxy.conf.template', {
          host,
          port,
          dataDir,
          accessKey: S3_ACCESS_KEY,
          secretKey: S3_SECRET_KEY,
        }),
      );
    },
    command() {
      return {
        command: javaCommand(),
        args: [
          markerOption(name),
          '-Xms64m',
          '-Xmx256m',
          '-XX:+UseSerialGC',
          '-XX:+ExitOnOutOfMemoryError',
          '-Djava.awt.headless=true',
          '-jar',
          jarNamed('s3proxy', 's3proxy-'),
          '--properties',
          confPath,
        ],
      };
    },
  };
}
