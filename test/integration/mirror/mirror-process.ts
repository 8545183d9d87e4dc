// Runs `node bin/sluice.js mirror <mm2.properties>` for integration tests, with kill -9 and restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, makeTempDir, rest, SLUICE_BIN, waitFor } from '../../support/worker-process.js';

export class MirrorProcess {
  private child: ChildProcess | null = null;
  log = '';

  private constructor(
    readonly file: string,
    readonly port: number,
    readonly dir: string,
  ) {}

  static async create(props: Record<string, string>): Promise<MirrorProcess> {
    const dir = await makeTempDir('mirror');
    const port = await freePort();
    const file = join(dir, 'mm2.properties');
    const all = { listeners: `http://127.0.0.1:${port}`, ...props };
    await writeFile(
      file,
      Object.entries(all)
        .map(([k, v]) => `${k} = ${v}`)
        .join('\n') + '\n',
    );
    return new MirrorProcess(file, port, dir);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [SLUICE_BIN, 'mirror', this.file], {
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // Also kept in <dir>/mirror.log (across restarts) for looking into a failed run.
    const file = createWriteStream(join(this.dir, 'mirror.log'), { flags: 'a' });
    child.stdout?.on('data', (d: Buffer) => {
      this.log += d.toString();
      file.write(d);
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.log += d.toString();
      file.write(d);
    });
    child.on('close', () => file.end());
    child.on('exit', () => {
      if (this.child === child) this.child = null;
    });
    await waitFor(
      async () => (await rest(this.url, 'GET', '/')).status === 200,
      30_000,
      `mirror REST on ${this.url}`,
    );
  }

  async kill9(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (this.child) await this.kill9();
  }
}
