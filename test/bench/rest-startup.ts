/**
 * rest-startup: wall time from spawning `node bin/sluice.js standalone worker.properties` until `GET /`
 * answers 200. The worker has no connectors; Kafka is up. Median of several runs. See docs/benchmarks.md.
 */
import {
  collectStderr,
  freePort,
  procStatusMb,
  sleep,
  SLUICE_BIN,
  spawnNode,
  terminate,
} from './support/child-process.js';
import { median, printResult, roundTo } from './support/results.js';
import { benchDir, writeWorkerFile } from './support/worker-files.js';

const RUNS = 7;
const LIMIT_SECONDS = 1;
const POLL_MS = 5;
const GIVE_UP_MS = 15_000;

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(500) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function timeOneStart(): Promise<{ seconds: number; rssMb: number }> {
  const port = await freePort();
  const workerFile = writeWorkerFile(benchDir('startup'), port);
  const started = performance.now();
  const child = spawnNode(SLUICE_BIN, ['standalone', workerFile]);
  const stderr = collectStderr(child);
  try {
    while (!(await answers(`http://127.0.0.1:${port}/`))) {
      if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}): ${stderr()}`);
      if (performance.now() - started > GIVE_UP_MS)
        throw new Error(`GET / did not answer within ${GIVE_UP_MS} ms`);
      await sleep(POLL_MS);
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, rssMb: procStatusMb(child.pid!, 'VmHWM') };
  } finally {
    await terminate(child);
  }
}

await timeOneStart(); // untimed: fills the OS file cache with node and the compiled modules
const runs: { seconds: number; rssMb: number }[] = [];
for (let i = 0; i < RUNS; i++) runs.push(await timeOneStart());
const seconds = median(runs.map((r) => r.seconds));
printResult({
  name: 'rest-startup',
  records: null,
  seconds: roundTo(seconds, 3),
  recordsPerSec: null,
  mbPerSec: null,
  peakRssMb: roundTo(Math.max(...runs.map((r) => r.rssMb)), 1),
  runsSeconds: runs.map((r) => roundTo(r.seconds, 3)),
  limitSeconds: LIMIT_SECONDS,
  pass: seconds < LIMIT_SECONDS,
});
if (seconds >= LIMIT_SECONDS) process.exitCode = 1;
