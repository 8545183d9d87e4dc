/**
 * Starting one side of a comparison: Kafka Connect's Java standalone worker (or MirrorMaker 2) from the
 * jars test/bench/peers/pom.xml fetches, or the same command of Sluice, with the same files.
 */
import type { ChildProcess } from 'node:child_process';
import { collectStderr, sleep, SLUICE_BIN, spawnNode, terminate } from '../bench/support/child-process.js';
import { CONNECT_STANDALONE_MAIN, MIRROR_MAKER_MAIN, spawnJava } from '../bench/peers/java-peers.js';

export type Side = 'java' | 'sluice';
export const SIDES: readonly Side[] = ['java', 'sluice'];

export interface RunningSide {
  readonly side: Side;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

function running(side: Side, child: ChildProcess): RunningSide {
  const stderr = collectStderr(child);
  return { side, child, stderr, stop: () => terminate(child, 30_000) };
}

/** `connect-standalone worker.properties [connector.properties ...]` on either side. */
export function startStandalone(
  side: Side,
  classpath: string,
  dir: string,
  files: readonly string[],
): RunningSide {
  return running(
    side,
    side === 'java'
      ? spawnJava(classpath, CONNECT_STANDALONE_MAIN, files, dir)
      : spawnNode(SLUICE_BIN, ['standalone', ...files]),
  );
}

/** `connect-mirror-maker mm2.properties` on either side. */
export function startMirror(side: Side, classpath: string, dir: string, file: string): RunningSide {
  return running(
    side,
    side === 'java'
      ? spawnJava(classpath, MIRROR_MAKER_MAIN, [file], dir)
      : spawnNode(SLUICE_BIN, ['mirror', file]),
  );
}

/** Waits until `GET /` answers 200 (the JVM and Connect's plugin scan take a while). */
export async function waitForRest(process: RunningSide, url: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null)
      throw new Error(`${process.side} exited (${process.child.exitCode}): ${process.stderr()}`);
    try {
      const reply = await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
      if (reply.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${process.side}: REST at ${url} not up after ${timeoutMs} ms: ${process.stderr()}`);
}

/** Polls `check` until it returns a value other than false/undefined. */
export async function until<T>(
  what: string,
  check: () => Promise<T | false | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== false && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}
