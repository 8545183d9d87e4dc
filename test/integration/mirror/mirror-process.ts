// Runs `node bin/sluice.js mirror <mm2.properties>` for integration tests, with kill -9 and restart.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SluiceProcess } from '../../support/sluice-process.js';
import { freePort, makeTempDir, rest } from '../../support/worker-process.js';

/** What `sluice mirror` logs once a flow's worker serves REST: `flow A->B: REST API on http://...;`. */
const REST_LINE = /"msg":"flow ([^:"]+): REST API on (http:\/\/[^;"\s]+);/g;

export class MirrorProcess {
  private readonly process: SluiceProcess;
  /** REST URL per flow (`A->B`) of the current run, from its log. */
  urls = new Map<string, string>();

  private constructor(
    readonly file: string,
    readonly dir: string,
  ) {
    this.process = new SluiceProcess({ cwd: dir });
  }

  /** A new mm2.properties in a new directory; `listeners` defaults to a free port. */
  static async create(props: Record<string, string>): Promise<MirrorProcess> {
    const dir = await makeTempDir('mirror');
    const file = join(dir, 'mm2.properties');
    const all = { listeners: `http://127.0.0.1:${await freePort()}`, ...props };
    await writeFile(
      file,
      Object.entries(all)
        .map(([k, v]) => `${k} = ${v}`)
        .join('\n') + '\n',
    );
    return new MirrorProcess(file, dir);
  }

  /** Another process started with the very same file (a second instance on the same machine). */
  async sameFile(): Promise<MirrorProcess> {
    return new MirrorProcess(this.file, await makeTempDir('mirror'));
  }

  /** Everything the process wrote, across restarts (kept in <dir>/mirror.log when it stops). */
  get log(): string {
    return this.process.output;
  }

  /** The REST URL of the A->B flow (or the first flow). */
  get url(): string {
    const first = this.urls.get('A->B') ?? [...this.urls.values()][0];
    if (first === undefined) throw new Error('the mirror has not started');
    return first;
  }

  /** The worker id statuses show for this process's A->B worker. */
  get workerId(): string {
    return new URL(this.url).host;
  }

  get running(): boolean {
    return this.process.running;
  }

  /** Starts the process and waits until every flow in `flows` serves REST. */
  async start(flows: readonly string[] = ['A->B']): Promise<void> {
    const from = this.log.length;
    this.urls = new Map();
    await this.process.start(
      ['mirror', this.file],
      async () => {
        for (const m of this.log.slice(from).matchAll(REST_LINE)) this.urls.set(m[1]!, m[2]!);
        if (!flows.every((f) => this.urls.has(f))) return false;
        for (const url of this.urls.values()) if ((await rest(url, 'GET', '/')).status !== 200) return false;
        return true;
      },
      60_000,
      `sluice mirror ${this.file} serving REST for ${flows.join(', ')}`,
    );
  }

  /** kill -9: no shutdown, no final offset commit. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    await this.process.kill9();
    await this.keepLog();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    await this.process.terminate(30_000);
    await this.keepLog();
  }

  private async keepLog(): Promise<void> {
    await writeFile(join(this.dir, 'mirror.log'), this.log).catch(() => undefined);
  }
}
