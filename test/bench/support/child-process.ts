import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root (dist/test/bench/support → four levels up). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The CLI a user runs: `node bin/sluice.js ...`. */
export const SLUICE_BIN = fileURLToPath(new URL('../../../../bin/sluice.js', import.meta.url));

/** One field of /proc/<pid>/status in MB (VmRSS: resident now; VmHWM: peak resident). */
export function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  if (match === null) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** Runs a node script as its own process, so its CPU and memory are measured apart from the benchmark driver. */
export function spawnNode(
  script: string,
  args: readonly string[],
  options: { captureStdout?: boolean; nodeArgs?: readonly string[] } = {},
): ChildProcess {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', options.captureStdout ? 'pipe' : 'ignore', 'pipe'],
    env: { ...process.env, SLUICE_LOG_LEVEL: process.env['SLUICE_LOG_LEVEL'] ?? 'WARN' },
  });
}

/** Everything a child wrote to stderr, kept for error messages. */
export function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-4000);
  });
  return () => text;
}

/** Resolves with the child's stdout once it exits with code 0; rejects otherwise. */
export function outputOf(child: ChildProcess, timeoutMs: number): Promise<string> {
  const stderr = collectStderr(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not finish within ${timeoutMs} ms: ${stderr()}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`child exited with ${code}: ${stderr()}`));
    });
  });
}

/** Sends SIGTERM (the worker then stops its tasks and exits) and waits; SIGKILL after the timeout. */
export async function terminate(child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
