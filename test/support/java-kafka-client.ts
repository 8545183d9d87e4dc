// The real Java Kafka client, for interop tests: records produced by the Java producer (its codecs, its
// header encoding) and topics read back by the Java consumer. Runs test/support/java/KafkaRecordsTool.java
// on the Kafka jars `npm run services:up` fetched (test/services/target/kafka/lib).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP } from './endpoints.js';
import { repoRoot } from './sluice-process.js';

export interface JavaHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface JavaRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly JavaHeader[];
}

export interface JavaConsumedRecord extends JavaRecord {
  readonly partition: number;
  readonly offset: number;
}

/** Kafka's compression.type values. */
export const COMPRESSION_TYPES = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionType = (typeof COMPRESSION_TYPES)[number];

const TOOL = join(repoRoot(), 'test/support/java/KafkaRecordsTool.java');
const CLASSPATH = join(repoRoot(), 'test/services/target/kafka/lib/*');

const encode = (bytes: Buffer | null): string => (bytes === null ? '-' : bytes.toString('base64'));
const decode = (part: string): Buffer | null => (part === '-' ? null : Buffer.from(part, 'base64'));

function toLine(r: JavaRecord): string {
  const headers = r.headers.map((h) => `${encode(Buffer.from(h.key))}:${encode(h.value)}`);
  return [encode(r.key), encode(r.value), ...headers].join('\t');
}

function fromLine(line: string): JavaConsumedRecord {
  const [partition, offset, record] = line.split(' ');
  const [key, value, ...headers] = record!.split('\t');
  return {
    partition: Number(partition),
    offset: Number(offset),
    key: decode(key!),
    value: decode(value!),
    headers: headers.map((h) => {
      const [name, headerValue] = h.split(':');
      return { key: decode(name!)!.toString(), value: decode(headerValue!) };
    }),
  };
}

function runTool(args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-cp', CLASSPATH, TOOL, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`KafkaRecordsTool ${args.join(' ')} exited ${code}:\n${stderr.slice(-3000)}`)),
    );
    child.stdin.end(input);
  });
}

/** Produces the records in order to partition 0 with the Java producer (acks=all, batched, compressed). */
export async function javaProduce(
  topic: string,
  records: readonly JavaRecord[],
  compression: CompressionType | 'none',
  bootstrap = KAFKA_BOOTSTRAP,
): Promise<void> {
  await runTool(['produce', bootstrap, topic, compression], records.map(toLine).join('\n') + '\n');
}

/** Reads `count` records of every partition of the topic from the beginning with the Java consumer. */
export async function javaConsume(
  topic: string,
  count: number,
  timeoutMs = 30_000,
  bootstrap = KAFKA_BOOTSTRAP,
): Promise<JavaConsumedRecord[]> {
  const out = await runTool(['consume', bootstrap, topic, String(count), String(timeoutMs)], '');
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map(fromLine);
}
