/**
 * Baseline for the s3 benchmark: a plain @aws-sdk/client-s3 loop putting, one after another, objects of
 * exactly the sizes the S3 sink wrote in the run before (their bytes built in memory before the clock
 * starts). Prints seconds, bytes and peak RSS. Usage: node bare-s3-writer.js '<json settings>'
 */
import { readFileSync } from 'node:fs';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

interface Settings {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  prefix: string;
  /** A file holding the JSON array of object sizes. */
  sizesFile: string;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const sizes = JSON.parse(readFileSync(settings.sizesFile, 'utf8')) as number[];
const client = new S3Client({
  endpoint: settings.endpoint,
  region: settings.region,
  forcePathStyle: true,
  credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
});
const line = Buffer.from('{"id":123456,"name":"customer-42","email":"user123456@example.com","qty":7}\n');
const objects = sizes.map((size, i) => ({
  key: `${settings.prefix}${String(i).padStart(6, '0')}.json`,
  body: Buffer.alloc(size, line),
}));
const started = performance.now();
let bytes = 0;
for (const object of objects) {
  await client.send(new PutObjectCommand({ Bucket: settings.bucket, Key: object.key, Body: object.body }));
  bytes += object.body.length;
}
const seconds = (performance.now() - started) / 1000;
client.destroy();
process.stdout.write(
  `${JSON.stringify({ seconds, bytes, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
