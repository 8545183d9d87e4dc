/**
 * peers/file: FileStreamSource → Kafka A topic → FileStreamSink in one standalone worker, Java Kafka Connect
 * against `sluice standalone`, both started with the very same worker and connector .properties files.
 * Done when the sink file holds every line (its size is exactly lines × 100 bytes).
 */
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { freePort, SLUICE_BIN, spawnNode } from '../support/child-process.js';
import { createTopic, deleteTopic, RUN_ID } from '../support/kafka-admin.js';
import { benchDir, writeConnectorFile, writeWorkerFile } from '../support/worker-files.js';
import { CONNECT_STANDALONE_MAIN, spawnJava } from './java-peers.js';
import { alternate, comparison, watchUntilDone, type Side, type SideRun } from './side-run.js';

/** 99 characters and a newline, as the brief of the comparison says: 100 B lines. */
const LINE_BYTES = 100;

async function writeInput(file: string, lines: number): Promise<void> {
  const out = createWriteStream(file);
  const filler = 'x'.repeat(LINE_BYTES);
  const chunk: string[] = [];
  for (let i = 0; i < lines; i++) {
    const head = `line ${String(i).padStart(9, '0')} `;
    chunk.push(`${head}${filler.slice(0, LINE_BYTES - 1 - head.length)}\n`);
    if (chunk.length === 10_000 || i === lines - 1) {
      if (!out.write(chunk.join('')))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk.length = 0;
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export interface FileSettings {
  readonly lines: number;
  readonly pairs: number;
  readonly classpath: string;
  readonly admin: Admin;
  readonly cpuProfileDir: string | undefined;
}

export async function compareFilePipeline(
  settings: FileSettings,
): Promise<Record<string, unknown> & { name: string }> {
  const { lines, admin } = settings;
  const inputDir = benchDir('peers-file-input');
  const input = join(inputDir, 'input.txt');
  await writeInput(input, lines);

  const runSide = async (side: Side, run: number): Promise<SideRun> => {
    const topic = `bench-peers-file-${RUN_ID}-${run}-${side}`;
    // One partition keeps the lines in file order on both sides, as a single FileStreamSource task writes them.
    await createTopic(admin, topic, 1);
    const dir = benchDir(`peers-file-${side}`);
    const output = join(dir, 'output.txt');
    const worker = writeWorkerFile(dir, await freePort());
    const source = writeConnectorFile(dir, `peers-file-source-${run}-${side}`, {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      file: input,
      topic,
    });
    const sink = writeConnectorFile(dir, `peers-file-sink-${run}-${side}`, {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
      'tasks.max': '1',
      file: output,
      topics: topic,
    });
    const args = [worker, source, sink];
    const started = performance.now();
    const child =
      side === 'java'
        ? spawnJava(settings.classpath, CONNECT_STANDALONE_MAIN, args, dir)
        : spawnNode(SLUICE_BIN, ['standalone', ...args], {
            nodeArgs: settings.cpuProfileDir
              ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`]
              : [],
          });
    try {
      return await watchUntilDone(child, started, {
        side,
        progress: () => Promise.resolve(Math.floor(sizeOf(output) / LINE_BYTES)),
        target: lines,
        timeoutMs: 900_000,
        pollMs: 100,
      });
    } finally {
      await deleteTopic(admin, topic);
      // 100 MB of output per run at full size; the profile, if any, is written elsewhere.
      rmSync(dir, { recursive: true, force: true });
    }
  };

  try {
    const runs = await alternate(settings.pairs, runSide);
    return comparison('peers/file', lines, LINE_BYTES, runs, {
      pipeline: 'FileStreamSource -> Kafka A (1 partition) -> FileStreamSink, one standalone worker',
    });
  } finally {
    rmSync(inputDir, { recursive: true, force: true });
  }
}
