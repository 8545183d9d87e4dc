/**
 * idle-rss: resident memory of an idle standalone worker (CLI) running one FileStreamSource connector on a
 * file nobody writes to, read from /proc/<pid>/status after the worker settled. See docs/benchmarks.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  collectStderr,
  freePort,
  procStatusMb,
  sleep,
  SLUICE_BIN,
  spawnNode,
  terminate,
} from './support/child-process.js';
import { RUN_ID } from './support/kafka-admin.js';
import { printResult, roundTo } from './support/results.js';
import { benchDir, writeConnectorFile, writeWorkerFile } from './support/worker-files.js';

const SETTLE_MS = 10_000;
const LIMIT_MB = 120;

async function taskRunning(port: number, connector: string): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/connectors/${connector}/status`);
    const status = (await response.json()) as { tasks?: { state: string }[] };
    return status.tasks?.[0]?.state === 'RUNNING';
  } catch {
    return false;
  }
}

const dir = benchDir('idle');
const idleFile = join(dir, 'idle.txt');
writeFileSync(idleFile, '');
const port = await freePort();
const connector = 'bench-idle-file';
const workerFile = writeWorkerFile(dir, port);
const connectorFile = writeConnectorFile(dir, connector, {
  'connector.class': 'FileStreamSource',
  'tasks.max': '1',
  file: idleFile,
  topic: `bench-idle-${RUN_ID}`,
});
const child = spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile]);
const stderr = collectStderr(child);
try {
  const started = Date.now();
  while (!(await taskRunning(port, connector))) {
    if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}): ${stderr()}`);
    if (Date.now() - started > 30_000)
      throw new Error(`the file source task was not RUNNING within 30 s: ${stderr()}`);
    await sleep(100);
  }
  await sleep(SETTLE_MS);
  const rssMb = procStatusMb(child.pid!, 'VmRSS');
  printResult({
    name: 'idle-rss',
    records: null,
    seconds: roundTo((Date.now() - started) / 1000, 1),
    recordsPerSec: null,
    mbPerSec: null,
    peakRssMb: roundTo(procStatusMb(child.pid!, 'VmHWM'), 1),
    rssMb: roundTo(rssMb, 1),
    limitMb: LIMIT_MB,
    pass: rssMb < LIMIT_MB,
  });
  if (rssMb >= LIMIT_MB) process.exitCode = 1;
} finally {
  await terminate(child);
}
