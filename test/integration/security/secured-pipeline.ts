// FileStreamSource → topic → FileStreamSink through one worker, for the secured-listener tests: the
// records must all arrive, in order, through clients that had to authenticate.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTopic, deleteTopics } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, type RestReply } from '../../support/worker-process.js';

/** A worker reached over REST (standalone or distributed). */
export interface RestWorker {
  rest(method: string, path: string, body?: unknown): Promise<RestReply>;
}

async function createConnector(
  worker: RestWorker,
  name: string,
  config: Record<string, string>,
): Promise<void> {
  const reply = await worker.rest('POST', '/connectors', { name, config });
  if (reply.status !== 201) throw new Error(`creating ${name} answered ${reply.status}: ${reply.text}`);
}

export interface PipelineRun {
  readonly topic: string;
  readonly source: string;
  readonly sink: string;
  readonly expected: readonly string[];
}

/** Runs `count` lines through a source and a sink connector of `worker`; resolves once the sink wrote them all. */
export async function runFilePipeline(
  worker: RestWorker,
  /** Where the input and output files go. */
  dir: string,
  prefix: string,
  count: number,
  extra: { source?: Record<string, string>; sink?: Record<string, string> } = {},
): Promise<PipelineRun & { readonly output: readonly string[] }> {
  const topic = uniqueName(`${prefix}-topic`);
  // Made through the plaintext listener of the same cluster: the worker must find it over its secured one.
  await createTopic(topic, 1);
  const input = join(dir, `${topic}.in`);
  const outputFile = join(dir, `${topic}.out`);
  const expected = Array.from({ length: count }, (_, i) => `${prefix}-line-${i}`);
  await writeFile(input, expected.map((l) => `${l}\n`).join(''));
  const source = uniqueName(`${prefix}-src`);
  const sink = uniqueName(`${prefix}-snk`);
  await createConnector(worker, source, {
    'connector.class': 'FileStreamSource',
    file: input,
    topic,
    ...extra.source,
  });
  await createConnector(worker, sink, {
    'connector.class': 'FileStreamSink',
    file: outputFile,
    topics: topic,
    ...extra.sink,
  });
  const output = await waitFor(
    async () => {
      const lines = (await readFile(outputFile, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
      return lines.length >= count ? lines : false;
    },
    30_000,
    `${count} lines through ${topic}`,
  );
  return { topic, source, sink, expected, output };
}

/** Deletes the connectors and topics a test made. */
export async function cleanUp(
  worker: RestWorker,
  connectors: readonly string[],
  topics: readonly string[],
): Promise<void> {
  for (const name of connectors)
    await worker.rest('DELETE', `/connectors/${encodeURIComponent(name)}`).catch(() => undefined);
  await deleteTopics(topics).catch(() => undefined);
}
