// One `node bin/sluice.js <command> ...` child process for integration tests, whatever the command:
// output kept across restarts, readiness by polling, kill -9 and SIGTERM with a deadline, and a
// last-resort kill of every child when the test process exits, so no worker outlives its test.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file compiles to dist/test/support/, and runs from test/support/ under tsx). */
export function repoRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes('/dist/') ? join(here, '../../..') : join(here, '../..');
}

export const SLUICE_BIN = join(repoRoot(), 'bin/sluice.js');

const living = new Set<ChildProcess>();
const killLiving = (): void => {
  for (const child of living) child.kill('SIGKILL');
};
process.on('exit', killLiving);
// 'exit' does not fire when the test process itself is killed by a signal (a runner timeout, Ctrl-C):
// kill the workers first, then let the signal take its default effect.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killLiving();
    process.kill(process.pid, signal);
  });
}

export interface ExitResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SluiceProcessOptions {
  readonly cwd?: string;
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it returns something other than undefined/false/null, and returns that; fails
 * with `what` and the last value or error seen when `timeoutMs` passes.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number,
  what: string,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}

/** One `node bin/sluice.js ...` at a time; `start()` again after an exit starts a new one, output accumulates. */
export class SluiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<ExitResult> | null = null;
  private log = '';

  constructor(private readonly options: SluiceProcessOptions) {}

  /** Everything the process wrote to stdout and stderr, across restarts. */
  get output(): string {
    return this.log;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /**
   * Spawns `bin/sluice.js <args>` and waits until `ready` says so; fails at once if the process exits
   * first, with its output.
   */
  async start(
    args: readonly string[],
    ready: () => Promise<boolean>,
    timeoutMs: number,
    what: string,
  ): Promise<void> {
    if (this.child !== null) throw new Error('process is already running');
    const child = spawn(process.execPath, [SLUICE_BIN, ...args], {
      cwd: this.options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.options.env },
    });
    living.add(child);
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        living.delete(child);
        if (this.child === child) this.child = null;
        resolve({ code, signal });
      });
    });
    let startupOver = false;
    const exitedEarly = this.exited.then(({ code, signal }) => {
      if (!startupOver)
        throw new Error(
          `process exited (code ${code}, signal ${signal}) during startup:\n${this.log.slice(-3000)}`,
        );
    });
    try {
      // waitFor keeps polling through errors, so an exit is raced rather than thrown from `ready`.
      await Promise.race([
        waitFor(ready, timeoutMs, what).catch((error: unknown) => {
          // What the process said is what explains a start that never got ready.
          throw new Error(`${(error as Error).message}; its output:\n${this.log.slice(-4000)}`);
        }),
        exitedEarly.then(() => new Promise(() => {})),
      ]);
    } finally {
      startupOver = true;
    }
  }

  /** kill -9: no shutdown hooks, no final offset commit. */
  kill9(): Promise<ExitResult> {
    return this.signal('SIGKILL', 10_000);
  }

  /** SIGSTOP / SIGCONT: freezes the process (a stalled worker: its sockets stay open, it answers nothing) and thaws it. */
  freeze(frozen: boolean): void {
    if (this.child === null) throw new Error('process is not running');
    this.child.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** SIGTERM, then the exit; fails when the process has not exited within `timeoutMs` (it is then killed). */
  terminate(timeoutMs: number): Promise<ExitResult> {
    return this.signal('SIGTERM', timeoutMs);
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<ExitResult> {
    const child = this.child;
    const exited = this.exited;
    if (child === null || exited === null)
      throw new Error(`process is not running (it exited by itself):\n${this.log.slice(-3000)}`);
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      exited,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (result === null) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`process did not exit within ${timeoutMs} ms of ${signal}:\n${this.log.slice(-3000)}`);
    }
    return result;
  }
}

/** Runs `node bin/sluice.js <args>` to completion (for CLI checks). */
export function runCli(
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<ExitResult & { stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SLUICE_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    living.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      living.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
