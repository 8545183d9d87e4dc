// The real Java Kafka client, for interop tests: records produced by the Java producer (its codecs, its
// header encoding), topics read back by the Java consumer, and the codec of each batch the broker stored.
// Runs test/support/java/KafkaRecordsTool.java on the Kafka jars `npm run services:up` fetched
// (test/services/target/kafka/lib), compiled once per test process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP } from './endpoints.js';
import { repoRoot } from './sluice-process.js';
import { makeTempDir } from './worker-process.js';

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
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The record's timestamp (CreateTime unless the topic says LogAppendTime). */
  readonly timestamp: number;
}

/** A record for javaProduce: where it goes and with which compression.type it is batched. */
export interface JavaOutgoingRecord extends JavaRecord {
  readonly topic: string;
  readonly compression: CompressionType | 'none';
  /** Partition 0 unless given. */
  readonly partition?: number;
  /** CreateTime in epoch ms; the producer's clock unless given. */
  readonly timestamp?: number;
}

/** Kafka's compression.type values. */
export const COMPRESSION_TYPES = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionType = (typeof COMPRESSION_TYPES)[number];

const SOURCE = join(repoRoot(), 'test/support/java/KafkaRecordsTool.java');
const JARS = join(repoRoot(), 'test/services/target/kafka/lib/*');

const encode = (bytes: Buffer | null): string => (bytes === null ? '-' : bytes.toString('base64'));
const decode = (part: string): Buffer | null => (part === '-' ? null : Buffer.from(part, 'base64'));

function toLine(r: JavaOutgoingRecord): string {
  const headers = r.headers.map((h) => `${encode(Buffer.from(h.key))}:${encode(h.value)}`);
  const where =
    r.partition === undefined && r.timestamp === undefined
      ? r.topic
      : `${r.topic}@${r.partition ?? '-'}@${r.timestamp ?? '-'}`;
  return `${where} ${r.compression} ${[encode(r.key), encode(r.value), ...headers].join('\t')}`;
}

function fromLine(line: string): JavaConsumedRecord {
  const [topic, partition, offset, record, timestamp] = line.split(' ');
  const [key, value, ...headers] = record!.split('\t');
  return {
    topic: topic!,
    partition: Number(partition),
    offset: Number(offset),
    timestamp: Number(timestamp),
    key: decode(key!),
    value: decode(value!),
    headers: headers.map((h) => {
      const [name, headerValue] = h.split(':');
      return { key: decode(name!)!.toString(), value: decode(headerValue!) };
    }),
  };
}

function run(command: string, args: readonly string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) =>
      reject(new Error(`cannot run ${command} (the interop tests need a JDK 17+ on PATH): ${error.message}`)),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${stderr.slice(-3000)}`)),
    );
    child.stdin.end(input);
  });
}

let compiled: Promise<string> | null = null;

/** The directory holding the compiled tool (javac runs once per test process). */
function classes(): Promise<string> {
  compiled ??= (async () => {
    const dir = await makeTempDir('java-tool');
    await run('javac', ['-nowarn', '-cp', JARS, '-d', dir, SOURCE]);
    return dir;
  })();
  return compiled;
}

async function runTool(args: readonly string[], input = ''): Promise<string> {
  return run('java', ['-cp', `${await classes()}:${JARS}`, 'KafkaRecordsTool', ...args], input);
}

const nonEmptyLines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

/** Produces the records in order to their partitions (0 unless given) with the Java producer (acks=all, batched). */
export async function javaProduce(
  records: readonly JavaOutgoingRecord[],
  bootstrap = KAFKA_BOOTSTRAP,
): Promise<void> {
  await runTool(['produce', bootstrap], records.map(toLine).join('\n') + '\n');
}

/** Reads `countPerTopic` records of each topic from the beginning with the Java consumer. */
export async function javaConsume(
  topics: readonly string[],
  countPerTopic: number,
  timeoutMs = 30_000,
  bootstrap = KAFKA_BOOTSTRAP,
): Promise<JavaConsumedRecord[]> {
  const out = await runTool(['consume', bootstrap, String(countPerTopic), String(timeoutMs), ...topics]);
  return nonEmptyLines(out).map(fromLine);
}

/** The compression types (`none`, `lz4`, ...) of the record batches the broker stored, per topic. */
export async function javaBatchCodecs(
  topics: readonly string[],
  bootstrap = KAFKA_BOOTSTRAP,
): Promise<Map<string, Set<string>>> {
  const out = await runTool(['batch-codecs', bootstrap, ...topics]);
  const codecs = new Map<string, Set<string>>(topics.map((t) => [t, new Set()]));
  for (const line of nonEmptyLines(out)) {
    const [topic, , , codec] = line.split(' ');
    codecs.get(topic!)?.add(codec!);
  }
  return codecs;
}
