// FileStreamSource → Kafka → FileStreamSink in one standalone worker, fed with numbered lines while it
// runs, for crash tests: kill the worker at any moment (also during its startup), restart it, and count
// what reached the output file (every line fed must arrive; duplicates are counted, never losses).
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTopic, deleteTopics } from './kafka-test-client.js';
import { sleep, uniqueName, waitFor, WorkerProcess, writeProperties } from './worker-process.js';

export interface Delivery {
  /** Lines fed into the input file so far. */
  readonly fed: number;
  /** Whole lines in the output file. */
  readonly lines: number;
  readonly missing: number;
  readonly duplicates: number;
  /** Every line's number is higher than the one before it. */
  readonly inOrder: boolean;
}

export interface FilePipelineOptions {
  readonly offsetFlushIntervalMs?: number;
  /**
   * Exactly once end to end: the worker's exactly.once.source.support=enabled (offsets in a fresh Kafka
   * topic, transactions every 500 ms) with the FileStreamSink's default delivery.guarantee=exactly_once.
   */
  readonly exactlyOnce?: boolean;
  /** Lines appended per tick while feeding, and the tick. */
  readonly linesPerTick?: number;
  readonly tickMs?: number;
}

/** The numbers of the whole lines in `text` (a line cut short by a kill -9 has no newline and is skipped). */
function wholeLines(text: string): number[] {
  const parts = text.split('\n');
  parts.pop();
  return parts.filter((p) => /^\d+$/.test(p)).map(Number);
}

export class FilePipeline {
  private fedCount = 0;
  private feeding: Promise<void> | null = null;
  private stopFeeding = false;

  private constructor(
    readonly worker: WorkerProcess,
    readonly topic: string,
    private readonly offsetsTopic: string,
    /** The sink connector; its consumer group is `connect-<sink>`. */
    readonly sink: string,
    readonly input: string,
    readonly output: string,
    private readonly connectorFiles: readonly string[],
    private readonly options: FilePipelineOptions,
  ) {}

  /** A worker (not started) with a source and a sink connector file, and a fresh one-partition topic. */
  static async create(options: FilePipelineOptions = {}): Promise<FilePipeline> {
    const topic = uniqueName('it-filepipe');
    await createTopic(topic, 1);
    const offsetsTopic = uniqueName('it-filepipe-offsets');
    const worker = await WorkerProcess.create({
      properties: {
        'offset.flush.interval.ms': String(options.offsetFlushIntervalMs ?? 2_000),
        ...(options.exactlyOnce === true
          ? {
              'exactly.once.source.support': 'enabled',
              'offset.storage.topic': offsetsTopic,
              'offset.storage.partitions': '1',
              'offset.storage.replication.factor': '1',
            }
          : {}),
      },
    });
    const input = join(worker.dir, 'in.txt');
    const output = join(worker.dir, 'out.txt');
    await writeFile(input, '');
    const source = uniqueName('filesrc');
    const sink = uniqueName('filesnk');
    const files = [
      await writeProperties(join(worker.dir, 'source.properties'), {
        name: source,
        'connector.class': 'FileStreamSource',
        file: input,
        topic,
        ...(options.exactlyOnce === true
          ? { 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '500' }
          : {}),
      }),
      await writeProperties(join(worker.dir, 'sink.properties'), {
        name: sink,
        'connector.class': 'FileStreamSink',
        file: output,
        topics: topic,
      }),
    ];
    return new FilePipeline(worker, topic, offsetsTopic, sink, input, output, files, options);
  }

  get group(): string {
    return `connect-${this.sink}`;
  }

  get fed(): number {
    return this.fedCount;
  }

  /** Starts the worker and waits until REST answers. */
  start(): Promise<void> {
    return this.worker.start(this.connectorFiles);
  }

  /** Starts the worker without waiting for anything. */
  launch(): Promise<void> {
    return this.worker.launch(this.connectorFiles);
  }

  /** Appends numbered lines to the input file in the background until stopFeed(). */
  feed(): void {
    const perTick = this.options.linesPerTick ?? 100;
    const tickMs = this.options.tickMs ?? 100;
    this.stopFeeding = false;
    this.feeding = (async () => {
      while (!this.stopFeeding) {
        let chunk = '';
        for (let i = 0; i < perTick; i++) chunk += `${this.fedCount + i}\n`;
        await appendFile(this.input, chunk);
        this.fedCount += perTick;
        await sleep(tickMs);
      }
    })();
  }

  async stopFeed(): Promise<void> {
    this.stopFeeding = true;
    await this.feeding;
  }

  async outputLines(): Promise<number> {
    try {
      return wholeLines(await readFile(this.output, 'utf8')).length;
    } catch {
      return 0;
    }
  }

  /** What reached the output file of the lines fed so far. */
  async delivery(): Promise<Delivery> {
    let seen: number[] = [];
    try {
      seen = wholeLines(await readFile(this.output, 'utf8'));
    } catch {
      // no output yet
    }
    const distinct = new Set(seen.filter((n) => n < this.fedCount));
    return {
      fed: this.fedCount,
      lines: seen.length,
      missing: this.fedCount - distinct.size,
      duplicates: seen.length - new Set(seen).size,
      inOrder: seen.every((n, i) => i === 0 || n > seen[i - 1]!),
    };
  }

  /** Waits until every line fed so far is in the output file. */
  waitForEveryLine(timeoutMs: number): Promise<Delivery> {
    return waitFor(
      async () => {
        const d = await this.delivery();
        return d.missing === 0 ? d : false;
      },
      timeoutMs,
      `every fed line in ${this.output}`,
      500,
    );
  }

  /** Waits until the sink writes lines beyond those in the output now; resolves with how long that took. */
  async waitForSinkProgress(timeoutMs: number, what: string): Promise<number> {
    const started = Date.now();
    const before = await this.outputLines();
    await waitFor(async () => (await this.outputLines()) > before, timeoutMs, what, 100);
    return Date.now() - started;
  }

  /**
   * `kills` kill -9s: the running worker first, then workers launched and killed `pauseMs()` later (often
   * before they logged anything). The worker is left dead.
   */
  async killBurst(kills: number, pauseMs: () => number): Promise<void> {
    for (let i = 0; i < kills; i++) {
      if (i > 0) {
        await this.launch();
        await sleep(pauseMs());
      }
      await this.worker.kill9();
    }
  }

  async dispose(): Promise<void> {
    await this.stopFeed();
    await this.worker.dispose();
    await deleteTopics([this.topic, this.offsetsTopic]);
  }
}
