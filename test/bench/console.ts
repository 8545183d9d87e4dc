/**
 * console: what an open web console costs a worker. Two fresh standalone workers, each with a datagen source
 * (50 records/s) so /metrics has series that move: one with nobody watching, one with the console's
 * Connectors page open in headless Chromium (it polls REST and /metrics every 2 s). After both settled, each
 * worker's RSS and the latency of GET /connectors/{name}/status while the console polls (or not).
 * See docs/benchmarks.md.
 */

import { HeadlessChromium } from '../support/headless-chromium.js';
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

const SETTLE_MS = 30_000;
const REQUESTS = 300;
const CONNECTOR = 'bench-console-datagen';

async function running(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/connectors/${CONNECTOR}/status`);
    const status = (await response.json()) as { tasks?: { state: string }[] };
    return status.tasks?.[0]?.state === 'RUNNING';
  } catch {
    return false;
  }
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Sequential status requests, as a script polling the worker would send them. */
async function statusLatencies(port: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = process.hrtime.bigint();
    const response = await fetch(`http://127.0.0.1:${port}/connectors/${CONNECTOR}/status`);
    await response.arrayBuffer();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

async function measure(withConsole: boolean): Promise<void> {
  const dir = benchDir(withConsole ? 'console-open' : 'console-closed');
  const port = await freePort();
  const workerFile = writeWorkerFile(dir, port);
  const connectorFile = writeConnectorFile(dir, CONNECTOR, {
    'connector.class': 'DatagenSource',
    'tasks.max': '1',
    'kafka.topic': `bench-console-${RUN_ID}`,
    'records.per.second': '50',
  });
  const child = spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile]);
  const stderr = collectStderr(child);
  let browser: HeadlessChromium | undefined;
  try {
    const started = Date.now();
    while (!(await running(port))) {
      if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}): ${stderr()}`);
      if (Date.now() - started > 30_000) throw new Error(`datagen was not RUNNING within 30 s: ${stderr()}`);
      await sleep(100);
    }
    if (withConsole) {
      browser = await HeadlessChromium.launch();
      await browser.page.goto(`http://127.0.0.1:${port}/ui/#/connectors`);
      await browser.page.locator(`tr[data-connector="${CONNECTOR}"]`).waitFor({ timeout: 20_000 });
    }
    await sleep(SETTLE_MS);
    const latencies = await statusLatencies(port);
    printResult({
      name: withConsole ? 'console-open' : 'console-closed',
      records: null,
      seconds: roundTo((Date.now() - started) / 1000, 1),
      rssMb: roundTo(procStatusMb(child.pid!, 'VmRSS'), 1),
      peakRssMb: roundTo(procStatusMb(child.pid!, 'VmHWM'), 1),
      statusP50Ms: roundTo(percentile(latencies, 50), 2),
      statusP99Ms: roundTo(percentile(latencies, 99), 2),
      requests: REQUESTS,
      browserPageErrors: browser?.pageErrors.length ?? null,
    });
  } finally {
    await browser?.close();
    await terminate(child);
  }
}

await measure(false);
await measure(true);
